package dev.keelson.apiserver.admission;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;

/** Upstream's checks of pod tolerations and node taints. */
final class TolerationRules {

  static final List<String> EFFECTS = List.of("NoSchedule", "PreferNoSchedule", "NoExecute");
  private static final List<String> OPERATORS = List.of("Equal", "Exists");

  private TolerationRules() {}

  static List<FieldCause> validate(JsonNode tolerations, String path) {
    List<FieldCause> causes = new ArrayList<>();
    for (int i = 0; i < tolerations.size(); i++) {
      JsonNode toleration = tolerations.get(i);
      String at = path + "[" + i + "]";
      String key = Checks.text(toleration, "key");
      String operator = Checks.text(toleration, "operator");
      String value = Checks.text(toleration, "value");
      String effect = Checks.text(toleration, "effect");
      if (!key.isEmpty()) {
        Formats.qualifiedName(key)
            .forEach(m -> causes.add(FieldCause.invalid(at + ".key", key, m)));
      }
      if (key.isEmpty() && !operator.equals("Exists")) {
        causes.add(
            FieldCause.invalid(
                at + ".operator",
                operator,
                "operator must be Exists when `key` is empty, which means \"match all values and all"
                    + " keys\""));
      }
      if (Checks.present(toleration, "tolerationSeconds") && !effect.equals("NoExecute")) {
        causes.add(
            FieldCause.invalid(
                at + ".effect",
                effect,
                "effect must be 'NoExecute' when `tolerationSeconds` is set"));
      }
      if (operator.isEmpty() || operator.equals("Equal")) {
        List<String> errors = Formats.labelValue(value);
        if (!errors.isEmpty()) {
          causes.add(FieldCause.invalid(at + ".operator", value, String.join(";", errors)));
        }
      } else if (operator.equals("Exists")) {
        if (!value.isEmpty()) {
          causes.add(
              FieldCause.invalid(
                  at + ".operator", value, "value must be empty when `operator` is 'Exists'"));
        }
      } else {
        causes.add(FieldCause.notSupported(at + ".operator", operator, OPERATORS));
      }
      if (!effect.isEmpty() && !EFFECTS.contains(effect)) {
        causes.add(FieldCause.notSupported(at + ".effect", effect, EFFECTS));
      }
    }
    return causes;
  }
}
