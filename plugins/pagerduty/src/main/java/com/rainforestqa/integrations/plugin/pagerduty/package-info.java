/**
 * The PagerDuty integration: raises an alert through the Events API v2 for each failing test, failed, errored or
 * timed-out run, and leaves passed runs alone.
 */
package com.rainforestqa.integrations.plugin.pagerduty;
