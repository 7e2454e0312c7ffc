/**
 * The Jira integration: files a failed Rainforest test or a webhook time-out as a Jira issue, or comments on the open
 * issue already filed for it, on Jira Cloud and Jira Data Center alike.
 */
package com.rainforestqa.integrations.plugin.jira;
