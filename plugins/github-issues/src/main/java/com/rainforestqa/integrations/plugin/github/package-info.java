/**
 * The GitHub Issues integration: files a failed Rainforest test or a webhook time-out as an issue in a GitHub
 * repository, or comments on the open issue already filed for it, on github.com and GitHub Enterprise Server alike.
 */
package com.rainforestqa.integrations.plugin.github;
