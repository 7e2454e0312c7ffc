package com.rainforestqa.integrations.host.store;

import org.hsqldb.jdbc.JDBCDataSource;

import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import javax.sql.DataSource;

/**
 * HSQLDB's connections for the pool, made to keep what they compile. HSQLDB compiles a prepared statement's SQL
 * once per connection, but forgets it when the last statement of that SQL closes; the store and db-scheduler
 * prepare and close a statement for every use, so every use compiled its SQL again, about a sixth of the CPU time
 * of a queued delivery. Each connection here keeps the first statement it prepares of each SQL open for its whole
 * life, so the statements prepared after it find the compiled one. HikariCP leaves statement caching to the
 * driver, and HSQLDB's driver has none beyond this.
 */
final class CompiledStatements extends ForwardingDataSource {
    /**
     * The most statements a connection keeps: room for the migrations' statements, which come first on the pool's
     * first connection, and the store's and the scheduler's, a few dozen; a statement beyond it is compiled anew.
     */
    private static final int KEPT_PER_CONNECTION = 128;

    /**
     * @param url the database's JDBC URL
     * @param user its user
     * @param password the user's password
     */
    CompiledStatements(String url, String user, String password) {
        super(hsqldb(url, user, password));
    }

    private static DataSource hsqldb(String url, String user, String password) {
        JDBCDataSource hsqldb = new JDBCDataSource();
        hsqldb.setUrl(url);
        hsqldb.setUser(user);
        hsqldb.setPassword(password);
        return hsqldb;
    }

    @Override
    public Connection getConnection() throws SQLException {
        return keeping(delegate.getConnection());
    }

    @Override
    public Connection getConnection(String username, String password) throws SQLException {
        return keeping(delegate.getConnection(username, password));
    }

    private static Connection keeping(Connection connection) {
        Map<List<Object>, PreparedStatement> kept = new HashMap<>();
        return (Connection) Proxy.newProxyInstance(Connection.class.getClassLoader(), new Class<?>[] {Connection.class},
                (proxy, method, args) -> {
                    if (method.getName().equals("prepareStatement") && kept.size() < KEPT_PER_CONNECTION) {
                        List<Object> key = Arrays.asList(args);
                        if (!kept.containsKey(key)) {
                            kept.put(key, (PreparedStatement) forward(connection, method, args));
                        }
                    }
                    return forward(connection, method, args);
                });
    }
}
