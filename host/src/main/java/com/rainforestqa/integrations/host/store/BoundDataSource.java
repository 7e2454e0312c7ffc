package com.rainforestqa.integrations.host.store;

import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;

import javax.sql.DataSource;

/**
 * A data source that hands out the connection of the transaction open on the calling thread, if there is one, and
 * a pooled connection otherwise. It lets a library that takes a {@link DataSource} (db-scheduler) write inside the
 * store's own transaction, so that a delivery's record and its place in the queue commit together. The bound
 * connection's {@code close()} does nothing: the transaction's owner closes it.
 */
final class BoundDataSource extends ForwardingDataSource {
    private final ThreadLocal<Connection> bound = new ThreadLocal<>();

    BoundDataSource(DataSource pool) {
        super(pool);
    }

    /** Binds a connection to the calling thread until {@link #unbind()}. */
    void bind(Connection connection) {
        bound.set(connection);
    }

    void unbind() {
        bound.remove();
    }

    @Override
    public Connection getConnection() throws SQLException {
        Connection connection = bound.get();
        return connection == null ? delegate.getConnection() : unclosable(connection);
    }

    @Override
    public Connection getConnection(String username, String password) throws SQLException {
        throw new SQLFeatureNotSupportedException("the store's data source has its own credentials");
    }

    private static Connection unclosable(Connection connection) {
        return (Connection) Proxy.newProxyInstance(Connection.class.getClassLoader(), new Class<?>[] {Connection.class},
                (proxy, method, args) -> {
                    if (method.getName().equals("close") && method.getParameterCount() == 0) {
                        return null;
                    }
                    return forward(connection, method, args);
                });
    }
}
