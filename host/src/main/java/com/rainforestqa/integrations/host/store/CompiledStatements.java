package com.rainforestqa.integrations.host.store;

import org.hsqldb.jdbc.JDBCDataSource;

import java.io.PrintWriter;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.logging.Logger;

import javax.sql.DataSource;

/**
 * HSQLDB's connections for the pool, made to keep what they compile. HSQLDB compiles a prepared statement's SQL
 * once per connection, but forgets it when the last statement of that SQL closes; the store and db-scheduler
 * prepare and close a statement for every use, so every use compiled its SQL again, about a sixth of the CPU time
 * of a queued delivery. Each connection here keeps the first statement it prepares of each SQL open for its whole
 * life, so the statements prepared after it find the compiled one. HikariCP leaves statement caching to the
 * driver, and HSQLDB's driver has none beyond this.
 */
final class CompiledStatements implements DataSource {
    /** The most statements a connection keeps: the store's and the scheduler's own are about thirty. */
    private static final int KEPT_PER_CONNECTION = 64;

    private final JDBCDataSource hsqldb = new JDBCDataSource();

    /**
     * @param url the database's JDBC URL
     * @param user its user
     * @param password the user's password
     */
    CompiledStatements(String url, String user, String password) {
        hsqldb.setUrl(url);
        hsqldb.setUser(user);
        hsqldb.setPassword(password);
    }

    @Override
    public Connection getConnection() throws SQLException {
        return keeping(hsqldb.getConnection());
    }

    @Override
    public Connection getConnection(String username, String password) throws SQLException {
        return keeping(hsqldb.getConnection(username, password));
    }

    private static Connection keeping(Connection connection) {
        Map<List<Object>, PreparedStatement> kept = new HashMap<>();
        return (Connection) Proxy.newProxyInstance(Connection.class.getClassLoader(), new Class<?>[] {Connection.class},
                (proxy, method, args) -> {
                    if (method.getName().equals("prepareStatement") && kept.size() < KEPT_PER_CONNECTION) {
                        List<Object> key = Arrays.asList(args);
                        if (!kept.containsKey(key)) {
                            kept.put(key, (PreparedStatement) invoke(connection, method, args));
                        }
                    }
                    return invoke(connection, method, args);
                });
    }

    private static Object invoke(Connection connection, Method method, Object[] args) throws Throwable {
        try {
            return method.invoke(connection, args);
        } catch (InvocationTargetException e) {
            throw e.getCause();
        }
    }

    @Override
    public PrintWriter getLogWriter() throws SQLException {
        return hsqldb.getLogWriter();
    }

    @Override
    public void setLogWriter(PrintWriter out) throws SQLException {
        hsqldb.setLogWriter(out);
    }

    @Override
    public void setLoginTimeout(int seconds) throws SQLException {
        hsqldb.setLoginTimeout(seconds);
    }

    @Override
    public int getLoginTimeout() throws SQLException {
        return hsqldb.getLoginTimeout();
    }

    @Override
    public Logger getParentLogger() throws SQLFeatureNotSupportedException {
        return hsqldb.getParentLogger();
    }

    @Override
    public <T> T unwrap(Class<T> type) throws SQLException {
        return hsqldb.unwrap(type);
    }

    @Override
    public boolean isWrapperFor(Class<?> type) throws SQLException {
        return hsqldb.isWrapperFor(type);
    }
}
