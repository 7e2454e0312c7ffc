package com.rainforestqa.integrations.host.plugin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class ContextClassLoaderTest {
    private final ClassLoader other = new ClassLoader("other", null) { };
    private ClassLoader before;

    @BeforeEach
    void rememberLoader() {
        before = Thread.currentThread().getContextClassLoader();
    }

    @AfterEach
    void restoreLoader() {
        Thread.currentThread().setContextClassLoader(before);
    }

    @Test
    void actionRunsWithTheLoaderAndThePreviousOneComesBack() {
        ClassLoader seen = ContextClassLoader.run(other, () -> Thread.currentThread().getContextClassLoader());

        assertThat(seen).isSameAs(other);
        assertThat(Thread.currentThread().getContextClassLoader()).isSameAs(before);
    }

    @Test
    void previousLoaderComesBackWhenTheActionThrows() {
        assertThatThrownBy(() -> ContextClassLoader.run(other, () -> {
            throw new IllegalStateException("boom");
        })).isInstanceOf(IllegalStateException.class).hasMessage("boom");

        assertThat(Thread.currentThread().getContextClassLoader()).isSameAs(before);
    }

    @Test
    void previousLoaderComesBackWhenTheActionThrowsAnError() {
        assertThatThrownBy(() -> ContextClassLoader.run(other, () -> {
            throw new NoClassDefFoundError("missing/Type");
        })).isInstanceOf(NoClassDefFoundError.class);

        assertThat(Thread.currentThread().getContextClassLoader()).isSameAs(before);
    }
}
