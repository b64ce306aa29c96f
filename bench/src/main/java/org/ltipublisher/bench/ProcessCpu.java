package org.ltipublisher.bench;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * CPU time and memory of processes, read from /proc (Linux): on a 2-core machine the load generator
 * competes with the service for the same cores, so CPU time per launch is the figure that survives.
 */
final class ProcessCpu {

    /** Kernel clock ticks per second (USER_HZ); 100 on every Linux we run on. */
    private static final double TICKS_PER_SECOND = 100.0;

    private ProcessCpu() {
    }

    /** utime + stime of one process, in seconds. */
    static double seconds(long pid) {
        long[] fields = stat(pid);
        return fields == null ? 0 : (fields[0] + fields[1]) / TICKS_PER_SECOND;
    }

    /**
     * A process tree's CPU: the root's own and reaped children's time plus every live child's
     * (PostgreSQL runs one backend process per connection under the postmaster).
     */
    static double treeSeconds(long rootPid) {
        long[] root = stat(rootPid);
        if (root == null) {
            return 0;
        }
        double total = (root[0] + root[1] + root[2] + root[3]) / TICKS_PER_SECOND;
        try (DirectoryStream<Path> procs = Files.newDirectoryStream(Path.of("/proc"), "[0-9]*")) {
            for (Path proc : procs) {
                long pid = Long.parseLong(proc.getFileName().toString());
                long[] child = stat(pid);
                if (child != null && child[4] == rootPid) {
                    total += (child[0] + child[1]) / TICKS_PER_SECOND;
                }
            }
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        return total;
    }

    /** One thread's group (event loop, workers, GC, JIT, other) and CPU seconds. */
    record ThreadCpu(String group, double seconds) {
    }

    /**
     * A process's threads by id: with {@link #groupDeltas} it shows whether time goes to request handling
     * or to the JVM's own upkeep.
     */
    static Map<Long, ThreadCpu> threads(long pid) {
        Map<Long, ThreadCpu> threads = new HashMap<>();
        try (DirectoryStream<Path> tasks = Files.newDirectoryStream(Path.of("/proc", Long.toString(pid), "task"))) {
            for (Path task : tasks) {
                try {
                    long[] fields = parse(Files.readString(task.resolve("stat")));
                    threads.put(Long.parseLong(task.getFileName().toString()), new ThreadCpu(
                            threadGroup(Files.readString(task.resolve("comm")).trim()),
                            (fields[0] + fields[1]) / TICKS_PER_SECOND));
                } catch (IOException threadEnded) {
                    // gone between listing and reading
                }
            }
        } catch (IOException e) {
            return threads;
        }
        return threads;
    }

    /**
     * CPU seconds per thread group between two snapshots; threads that ended in between are counted
     * under "ended threads" as the process total's remainder.
     */
    static Map<String, Double> groupDeltas(Map<Long, ThreadCpu> before, Map<Long, ThreadCpu> after,
            double processDelta) {
        Map<String, Double> groups = new TreeMap<>();
        double counted = 0;
        for (Map.Entry<Long, ThreadCpu> thread : after.entrySet()) {
            ThreadCpu earlier = before.get(thread.getKey());
            double delta = thread.getValue().seconds() - (earlier == null ? 0 : earlier.seconds());
            groups.merge(thread.getValue().group(), delta, Double::sum);
            counted += delta;
        }
        groups.put("ended threads", Math.max(0, processDelta - counted));
        return groups;
    }

    private static String threadGroup(String name) {
        if (name.startsWith("vert.x-eventloo")) {
            return "event loop";
        }
        if (name.startsWith("executor-thread")) {
            return "workers";
        }
        if (name.startsWith("GC ") || name.startsWith("G1 ")) {
            return "GC";
        }
        if (name.contains("CompilerThre")) {
            return "JIT";
        }
        // the ltijs peer: Node's main thread runs its event loop; V8's platform workers do GC and JIT
        if (name.equals("node")) {
            return "node main";
        }
        if (name.startsWith("V8 ")) {
            return "V8 workers";
        }
        if (name.startsWith("libuv-worker")) {
            return "libuv pool";
        }
        return "other";
    }

    /**
     * PostgreSQL's CPU by role, in seconds: connection backends, background processes (WAL writer,
     * checkpointer, …), and exited children (mostly autovacuum workers, counted when reaped).
     */
    static Map<String, Double> treeByRole(long rootPid) {
        Map<String, Double> roles = new TreeMap<>();
        long[] root = stat(rootPid);
        if (root == null) {
            return roles;
        }
        roles.put("postmaster", (root[0] + root[1]) / TICKS_PER_SECOND);
        roles.put("exited", (root[2] + root[3]) / TICKS_PER_SECOND);
        try (DirectoryStream<Path> procs = Files.newDirectoryStream(Path.of("/proc"), "[0-9]*")) {
            for (Path proc : procs) {
                long[] child = stat(Long.parseLong(proc.getFileName().toString()));
                if (child == null || child[4] != rootPid) {
                    continue;
                }
                String title;
                try {
                    title = Files.readString(proc.resolve("cmdline")).replace('\0', ' ');
                } catch (IOException ended) {
                    continue;
                }
                // a backend's title is "postgres: user database host(port) state"
                String role = title.contains("(") ? "backends" : title.contains("autovacuum") ? "autovacuum" : "background";
                roles.merge(role, (child[0] + child[1]) / TICKS_PER_SECOND, Double::sum);
            }
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        return roles;
    }

    /** VmRSS in MiB. */
    static double rssMiB(long pid) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
                if (line.startsWith("VmRSS:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", "")) / 1024.0;
                }
            }
        } catch (IOException e) {
            return 0;
        }
        return 0;
    }

    /** utime, stime, cutime, cstime, ppid — fields 14–17 and 4 of /proc/pid/stat (proc(5)). */
    private static long[] stat(long pid) {
        try {
            return parse(Files.readString(Path.of("/proc", Long.toString(pid), "stat")));
        } catch (IOException e) {
            return null;
        }
    }

    private static long[] parse(String stat) {
        // the command name (field 2) may contain spaces; fields after it are counted from its ')'
        String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        return new long[] { Long.parseLong(f[11]), Long.parseLong(f[12]), Long.parseLong(f[13]),
                Long.parseLong(f[14]), Long.parseLong(f[1]) };
    }
}
