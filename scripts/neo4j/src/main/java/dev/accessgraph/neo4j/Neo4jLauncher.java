package dev.accessgraph.neo4j;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.neo4j.configuration.GraphDatabaseSettings;
import org.neo4j.configuration.connectors.BoltConnector;
import org.neo4j.configuration.connectors.BoltConnectorInternalSettings;
import org.neo4j.configuration.connectors.HttpConnector;
import org.neo4j.configuration.connectors.HttpsConnector;
import org.neo4j.configuration.helpers.SocketAddress;
import org.neo4j.dbms.api.DatabaseManagementService;
import org.neo4j.dbms.api.DatabaseManagementServiceBuilder;
import org.neo4j.io.ByteUnit;

/**
 * Embeds Neo4j Community 5.26 with a Bolt connector on loopback, for accessgraph's tests and `npm run neo4j`.
 *
 * <p>Protocol with the parent process (scripts/neo4j/launcher.ts): exactly one line
 * {@code accessgraph-neo4j ready bolt://HOST:PORT} on stdout once the default database is available; SIGTERM
 * (or stdin EOF with {@code --exit-on-stdin-eof}) shuts the DBMS down cleanly; a startup failure prints
 * {@code accessgraph-neo4j failed: ...} on stderr and exits with status 1.
 *
 * <p>The password comes from the environment ({@code ACCESSGRAPH_NEO4J_PASSWORD}), not argv, so it does not
 * show in {@code ps}.
 */
public final class Neo4jLauncher {
    static final String READY_PREFIX = "accessgraph-neo4j ready ";

    private Neo4jLauncher() {}

    record Options(
            String host,
            int port,
            Path home,
            boolean authEnabled,
            String user,
            String password,
            long pageCacheBytes,
            long availableTimeoutMs,
            boolean exitOnStdinEof) {}

    public static void main(String[] args) {
        Options options;
        try {
            options = parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println("accessgraph-neo4j: " + e.getMessage());
            System.err.println(usage());
            System.exit(2);
            return;
        }
        try {
            run(options);
        } catch (Throwable t) {
            System.err.println("accessgraph-neo4j failed: " + t);
            t.printStackTrace(System.err);
            System.err.flush();
            // halt, not exit: the DBMS may have left non-daemon threads behind and the hook must not hang.
            Runtime.getRuntime().halt(1);
        }
    }

    static String usage() {
        return "usage: Neo4jLauncher --home DIR --port N [--host 127.0.0.1] [--auth true|false] [--user neo4j]\n"
                + "                     [--page-cache 256m] [--timeout-seconds 120] [--exit-on-stdin-eof]\n"
                + "       password (auth enabled): environment variable ACCESSGRAPH_NEO4J_PASSWORD";
    }

    static Options parse(String[] args) {
        String host = "127.0.0.1";
        Integer port = null;
        Path home = null;
        boolean auth = true;
        String user = "neo4j";
        long pageCache = ByteUnit.mebiBytes(256);
        long timeoutMs = TimeUnit.SECONDS.toMillis(120);
        boolean exitOnEof = false;
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            switch (a) {
                case "--exit-on-stdin-eof" -> exitOnEof = true;
                case "--host" -> host = value(args, ++i, a);
                case "--port" -> port = Integer.parseInt(value(args, ++i, a));
                case "--home" -> home = Path.of(value(args, ++i, a)).toAbsolutePath();
                case "--auth" -> auth = Boolean.parseBoolean(value(args, ++i, a));
                case "--user" -> user = value(args, ++i, a);
                case "--page-cache" -> pageCache = ByteUnit.parse(value(args, ++i, a));
                case "--timeout-seconds" ->
                    timeoutMs = TimeUnit.SECONDS.toMillis(Long.parseLong(value(args, ++i, a)));
                default -> throw new IllegalArgumentException("unknown argument `" + a + "`");
            }
        }
        if (home == null) throw new IllegalArgumentException("--home is required");
        if (port == null || port < 1 || port > 65535) throw new IllegalArgumentException("--port 1..65535 is required");
        String password = System.getenv("ACCESSGRAPH_NEO4J_PASSWORD");
        if (auth && (password == null || password.length() < 8)) {
            // Neo4j's default dbms.security.auth_minimum_password_length is 8 (Operations Manual, "Set an initial
            // password"): fail here with a clear message instead of deep inside ALTER USER.
            throw new IllegalArgumentException("auth is enabled: set ACCESSGRAPH_NEO4J_PASSWORD (at least 8 characters)");
        }
        return new Options(host, port, home, auth, user, password, pageCache, timeoutMs, exitOnEof);
    }

    private static String value(String[] args, int i, String flag) {
        if (i >= args.length) throw new IllegalArgumentException(flag + " needs a value");
        return args[i];
    }

    static void run(Options o) throws InterruptedException {
        SocketAddress bolt = new SocketAddress(o.host(), o.port());
        DatabaseManagementService dbms = new DatabaseManagementServiceBuilder(o.home())
                .setConfig(BoltConnector.enabled, true)
                // The advertised address defaults to :7687 whatever we listen on; drivers use it for routing
                // tables, so it must match the listen address (Java Reference, "Bolt connector").
                .setConfig(BoltConnector.listen_address, bolt)
                .setConfig(BoltConnector.advertised_address, bolt)
                // Loopback only: TLS would only add certificate handling for tests and local use.
                .setConfig(BoltConnector.encryption_level, BoltConnector.EncryptionLevel.DISABLED)
                // Bolt waits 5 s for connections and 5 s for its thread pool at shutdown by default, which made
                // every stop take ~10 s; clients have closed their drivers by then (internal settings of 5.26).
                .setConfig(BoltConnectorInternalSettings.connection_shutdown_wait_time, Duration.ofSeconds(1))
                .setConfig(BoltConnectorInternalSettings.thread_pool_shutdown_wait_time, Duration.ofSeconds(1))
                .setConfig(HttpConnector.enabled, false)
                .setConfig(HttpsConnector.enabled, false)
                .setConfig(GraphDatabaseSettings.auth_enabled, o.authEnabled())
                // The default page cache is ~50% of RAM; tests and a laptop need far less.
                .setConfig(GraphDatabaseSettings.pagecache_memory, o.pageCacheBytes())
                // Small, non-preallocated transaction logs keep many short-lived test stores cheap on disk.
                .setConfig(GraphDatabaseSettings.preallocate_logical_logs, false)
                .setConfig(GraphDatabaseSettings.logical_log_rotation_threshold, ByteUnit.mebiBytes(16))
                .setConfig(GraphDatabaseSettings.keep_logical_logs, "2 files")
                .setConfig(GraphDatabaseSettings.udc_enabled, false)
                .build();

        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                dbms.shutdown();
            } finally {
                stopped.countDown();
            }
        }, "accessgraph-neo4j-shutdown"));

        String dbName = GraphDatabaseSettings.DEFAULT_DATABASE_NAME;
        if (!dbms.database(dbName).isAvailable(o.availableTimeoutMs())) {
            throw new IllegalStateException("database `" + dbName + "` not available after "
                    + o.availableTimeoutMs() + " ms (see " + o.home().resolve("logs/debug.log") + ")");
        }
        if (o.authEnabled()) setPassword(dbms, o.user(), o.password());

        if (o.exitOnStdinEof()) watchStdin();
        System.out.println(READY_PREFIX + "bolt://" + o.host() + ":" + o.port());
        System.out.flush();
        stopped.await();
    }

    /**
     * Sets the password on every start, so the environment is the single source of truth even for a persistent
     * data directory (a start with the password it already has leaves it as it is). Embedded transactions run without a login, which is what lets us change the neo4j user's
     * password before anyone connects (instead of the default `neo4j` with a forced change at first login).
     */
    static void setPassword(DatabaseManagementService dbms, String user, String password) {
        var system = dbms.database(GraphDatabaseSettings.SYSTEM_DATABASE_NAME);
        boolean exists = system.executeTransactionally(
                "SHOW USERS YIELD user WHERE user = $user RETURN count(*) AS n",
                Map.of("user", user),
                r -> ((Number) r.next().get("n")).longValue() > 0);
        String cypher = exists
                ? "ALTER USER $user SET PLAINTEXT PASSWORD $password CHANGE NOT REQUIRED"
                : "CREATE USER $user SET PLAINTEXT PASSWORD $password CHANGE NOT REQUIRED";
        try {
            system.executeTransactionally(cypher, Map.of("user", user, "password", password));
        } catch (RuntimeException e) {
            // Neo4j refuses to set the password a user already has; a restart with the same one is that case.
            if (!exists || !String.valueOf(e.getMessage()).contains("cannot be the same")) throw e;
        }
    }

    /** The parent holds our stdin open; when it dies without signalling us, EOF arrives and we stop too. */
    private static void watchStdin() {
        Thread t = new Thread(() -> {
            InputStream in = System.in;
            byte[] buf = new byte[256];
            try {
                while (in.read(buf) >= 0) {
                    // ignore input; only EOF matters
                }
            } catch (IOException ignored) {
                // a broken pipe means the same as EOF
            }
            System.exit(0);
        }, "accessgraph-neo4j-stdin-watch");
        t.setDaemon(true);
        t.start();
    }
}
