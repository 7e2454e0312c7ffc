package com.rainforestqa.integrations.distribution;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.LifecycleMethodExecutionExceptionHandler;
import org.junit.jupiter.api.extension.TestWatcher;

/**
 * Prints the output of the service processes a failed test (or a failed {@code @BeforeAll}) started, so a failure
 * in the build log comes with what the service said. Register it in a static field.
 */
final class ServiceOutput implements BeforeEachCallback, TestWatcher, LifecycleMethodExecutionExceptionHandler {
    private final List<ServiceProcess> classProcesses = new ArrayList<>();
    private final List<ServiceProcess> testProcesses = new ArrayList<>();
    private boolean inTest;

    /**
     * Watches a process: started in {@code @BeforeAll}, its output goes with every failure of the class; started in
     * a test, with that test's failure.
     */
    ServiceProcess watch(ServiceProcess service) {
        (inTest ? testProcesses : classProcesses).add(service);
        return service;
    }

    @Override
    public void beforeEach(ExtensionContext context) {
        inTest = true;
        testProcesses.clear();
    }

    @Override
    public void testFailed(ExtensionContext context, Throwable cause) {
        List<ServiceProcess> all = new ArrayList<>(classProcesses);
        all.addAll(testProcesses);
        print(context.getDisplayName(), all);
    }

    @Override
    public void handleBeforeAllMethodExecutionException(ExtensionContext context, Throwable throwable)
            throws Throwable {
        print(context.getDisplayName() + " (before all)", classProcesses);
        throw throwable;
    }

    private static void print(String failed, List<ServiceProcess> processes) {
        for (ServiceProcess process : processes) {
            System.out.println("===== output of the service (port " + process.port() + ", operators' port "
                    + process.adminPort() + ") for failed " + failed + " =====");
            System.out.println(process.output());
            System.out.println("===== end of output =====");
        }
    }
}
