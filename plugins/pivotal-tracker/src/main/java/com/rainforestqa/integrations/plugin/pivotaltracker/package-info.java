/**
 * The Pivotal Tracker integration (deprecated: Pivotal Tracker was retired in 2025): files a bug story for each
 * failed test or webhook time-out, or marks the open story already filed for it as a repeated failure.
 */
package com.rainforestqa.integrations.plugin.pivotaltracker;
