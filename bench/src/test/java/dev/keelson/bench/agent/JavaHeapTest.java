package dev.keelson.bench.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** GC.heap_info as JDK 17 prints it for each collector; Metaspace is not heap. */
class JavaHeapTest {

  @Test
  void g1HasOneHeapLine() {
    String info =
        """
        11340:
         garbage-first heap   total 397312K, used 4675K [0x0000000687400000, 0x0000000800000000)
          region size 4096K, 1 young (4096K), 0 survivors (0K)
         Metaspace       used 73K, committed 320K, reserved 1114112K
          class space    used 3K, committed 128K, reserved 1048576K
        """;

    assertThat(JavaHeap.usedKib(info)).isEqualTo(4675);
  }

  @Test
  void generationalCollectorsAddTheirGenerations() {
    String info =
        """
        11425:
         def new generation   total 116160K, used 8263K [0x0000000687400000, 0x0000000704d50000)
          eden space 103296K,   8% used [0x0000000687400000, 0x000000068d8e0000)
         tenured generation   total 258048K, used 1200K [0x0000000704d50000, 0x0000000800000000)
         Metaspace       used 127K, committed 320K, reserved 1114112K
        """;

    assertThat(JavaHeap.usedKib(info)).isEqualTo(8263 + 1200);
  }

  @Test
  void anAnswerWithoutAHeapIsAnError() {
    assertThatThrownBy(() -> JavaHeap.usedKib("11425:\nCommand executed successfully\n"))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
