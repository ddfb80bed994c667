package org.courier.routing;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * What a new configuration changes against the one in force, element by element (receivers,
 * routes, aggregators, channels, limits; {@link ConfigurationOutline}): what it adds, what it
 * removes, and what it keeps under the same name but declares otherwise, each as
 * {@code receiver "erp"}, in the new file's order (removed ones in the old file's).
 */
public record ConfigurationChanges(List<String> added, List<String> removed, List<String> changed) {

    public ConfigurationChanges {
        added = List.copyOf(added);
        removed = List.copyOf(removed);
        changed = List.copyOf(changed);
    }

    public static ConfigurationChanges between(ConfigurationOutline before, ConfigurationOutline after) {
        Map<String, String> old = before.elements();
        Map<String, String> now = after.elements();
        List<String> added = new ArrayList<>();
        List<String> changed = new ArrayList<>();
        now.forEach((element, declared) -> {
            if (!old.containsKey(element)) {
                added.add(element);
            } else if (!old.get(element).equals(declared)) {
                changed.add(element);
            }
        });
        List<String> removed = old.keySet().stream().filter(element -> !now.containsKey(element)).toList();
        return new ConfigurationChanges(added, removed, changed);
    }

    public boolean none() {
        return added.isEmpty() && removed.isEmpty() && changed.isEmpty();
    }

    /** One line: {@code added receiver "b"; removed route sender="*" interface="X"; changed receiver "a"}, or "no change". */
    public String summary() {
        if (none()) {
            return "no change";
        }
        return Stream.of(part("added", added), part("removed", removed), part("changed", changed))
                .filter(part -> !part.isEmpty())
                .collect(Collectors.joining("; "));
    }

    private static String part(String what, List<String> elements) {
        return elements.isEmpty() ? "" : what + " " + String.join(", ", elements);
    }
}
