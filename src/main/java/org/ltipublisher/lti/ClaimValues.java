package org.ltipublisher.lti;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Reading JSON claim values leniently: a blank string is absent, a non-array is an empty list. */
public final class ClaimValues {

    private ClaimValues() {
    }

    public static String text(Object value) {
        if (value == null) {
            return null;
        }
        String text = value.toString();
        return text.isBlank() ? null : text;
    }

    public static Map<?, ?> object(Object value) {
        return value instanceof Map<?, ?> map ? map : null;
    }

    public static List<String> strings(Object value) {
        if (!(value instanceof List<?> values)) {
            return List.of();
        }
        List<String> result = new ArrayList<>(values.size());
        for (Object v : values) {
            if (v != null) {
                result.add(v.toString());
            }
        }
        return result;
    }

    /** A JSON object's members as strings (custom parameters, LTI Core §5.4.6). */
    public static Map<String, String> stringMap(Object value) {
        Map<String, String> values = new LinkedHashMap<>();
        if (value instanceof Map<?, ?> map) {
            map.forEach((k, v) -> {
                if (k != null && v != null) {
                    values.put(k.toString(), v.toString());
                }
            });
        }
        return values;
    }
}
