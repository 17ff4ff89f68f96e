package dev.keelson.nodeagent.runtime.docker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.keelson.nodeagent.service.ServiceTable;
import dev.keelson.nodeagent.service.Services;
import java.util.List;
import org.junit.jupiter.api.Test;

class PodNetworkRulesTest {

  @Test
  void servicesBecomeOneDnatRulePerTcpPortToTheProxyOnTheGateway() {
    ServiceTable table =
        ServiceTable.of(List.of(Services.parse(Services.WEB), Services.parse(Services.DB)));

    String rules = PodNetworkRules.restoreInput(table.routes(), "172.17.0.1");

    assertThat(rules)
        .isEqualTo(
            """
            *nat
            :KEELSON-SERVICES - [0:0]
            :KEELSON-POSTROUTING - [0:0]
            -A KEELSON-SERVICES -d 127.64.0.12/32 -p tcp -m tcp --dport 80 -j DNAT --to-destination 172.17.0.1:20001
            -A KEELSON-SERVICES -d 127.64.0.12/32 -p tcp -m tcp --dport 443 -j DNAT --to-destination 172.17.0.1:20002
            -A KEELSON-SERVICES -d 127.64.0.3/32 -p tcp -m tcp --dport 5432 -j DNAT --to-destination 172.17.0.1:20000
            -A KEELSON-POSTROUTING -s 127.0.0.0/8 -o eth0 -j MASQUERADE
            COMMIT
            *filter
            :KEELSON-FIREWALL - [0:0]
            -A KEELSON-FIREWALL -d 127.0.0.0/8 ! -i lo -m conntrack ! --ctstate RELATED,ESTABLISHED,DNAT -j DROP
            COMMIT
            """);
  }

  @Test
  void noServicesStillReplacesTheChainsSoOldRoutesGo() {
    String rules = PodNetworkRules.restoreInput(List.of(), "172.17.0.1");

    assertThat(rules)
        .startsWith(
            "*nat\n:KEELSON-SERVICES - [0:0]\n:KEELSON-POSTROUTING - [0:0]\n-A KEELSON-POSTROUTING")
        .doesNotContain("DNAT --to");
  }

  @Test
  void aGatewayThatIsNoAddressIsRefused() {
    assertThatThrownBy(() -> PodNetworkRules.restoreInput(List.of(), ""))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> PodNetworkRules.restoreInput(List.of(), "172.17.0.1\nCOMMIT"))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
