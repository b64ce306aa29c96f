package org.ltipublisher.bench;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

import javax.sql.DataSource;

/**
 * The soak: {@code bench.soak} launches (1,000,000 for issue 15) at concurrency 8 in windows of
 * {@code bench.soak-window}, one line per window with its speed, latency percentiles, the service's CPU and RSS,
 * and the rows and on-disk size of every table that holds more than a few rows: what must stay flat under churn
 * once the purge job ({@code retention.PurgeJob}) has had its first runs.
 */
final class Soak {

    private final LaunchGenerator generator;
    private final DataSource database;

    Soak(LaunchGenerator generator, DataSource database) {
        this.generator = generator;
        this.database = database;
    }

    void run(LaunchTarget target, int launches, int window, long servicePid, long postmaster) throws Exception {
        System.out.printf("%nsoak: %,d launches at concurrency 8, a line per %,d (tables: live rows / total size "
                + "with indexes and TOAST)%n", launches, window);
        System.out.printf("%10s %10s %7s %7s %7s %12s %9s %9s  %s%n", "launches", "launches/s", "p50 ms", "p95 ms",
                "p99 ms", "svc ms CPU", "RSS MiB", "db MiB", "tables");
        int done = 0;
        while (done < launches) {
            int n = Math.min(window, launches - done);
            LaunchGenerator.Figures f = generator.phase(target, "soak", 8, n, servicePid, postmaster, false);
            done += n;
            System.out.printf("%10d %10.0f %7.2f %7.2f %7.2f %12.3f %9.0f %9.1f  %s%n", done, f.perSecond(), f.p50(),
                    f.p95(), f.p99(), f.serviceCpu(), ProcessCpu.rssMiB(servicePid), databaseMiB(), tables());
        }
    }

    private double databaseMiB() throws SQLException {
        try (Connection c = database.getConnection(); Statement s = c.createStatement();
                ResultSet r = s.executeQuery("select pg_database_size(current_database()) as bytes")) {
            r.next();
            return r.getLong("bytes") / 1048576.0;
        }
    }

    /** Tables with more than 100 live rows, largest first: name rows/size. */
    private String tables() throws SQLException {
        List<String> out = new ArrayList<>();
        try (Connection c = database.getConnection(); Statement s = c.createStatement();
                ResultSet r = s.executeQuery("select relname, n_live_tup, pg_total_relation_size(relid) as bytes "
                        + "from pg_stat_user_tables where n_live_tup > 100 order by bytes desc")) {
            while (r.next()) {
                out.add(String.format("%s %d/%.1fM", r.getString("relname"), r.getLong("n_live_tup"),
                        r.getLong("bytes") / 1048576.0));
            }
        }
        return String.join(" ", out);
    }
}
