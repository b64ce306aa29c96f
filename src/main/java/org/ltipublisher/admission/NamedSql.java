package org.ltipublisher.admission;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A statement with {@code :name} parameters, turned once into JDBC's positional form plus the names in
 * order, so a long statement binds by name instead of by counting question marks. {@code ::type} casts
 * are left alone.
 */
final class NamedSql {

    private static final Pattern PARAMETER = Pattern.compile("(?<![:\\w]):([A-Za-z_]\\w*)");

    private final String positional;
    private final List<String> names;

    private NamedSql(String positional, List<String> names) {
        this.positional = positional;
        this.names = names;
    }

    static NamedSql of(String named) {
        List<String> names = new ArrayList<>();
        Matcher m = PARAMETER.matcher(named);
        StringBuilder sql = new StringBuilder();
        while (m.find()) {
            names.add(m.group(1));
            m.appendReplacement(sql, "?");
        }
        m.appendTail(sql);
        return new NamedSql(sql.toString(), List.copyOf(names));
    }

    String sql() {
        return positional;
    }

    /** The values in the statement's order; a name without a value is a programming error. */
    Object[] bind(Params params) {
        Object[] values = new Object[names.size()];
        for (int i = 0; i < values.length; i++) {
            values[i] = params.get(names.get(i));
        }
        return values;
    }

    /** Named values, nulls allowed. */
    static final class Params {
        private final Map<String, Object> values = new HashMap<>();

        Params set(String name, Object value) {
            values.put(name, value);
            return this;
        }

        Object get(String name) {
            if (!values.containsKey(name)) {
                throw new IllegalArgumentException("no value for :" + name);
            }
            return values.get(name);
        }
    }
}
