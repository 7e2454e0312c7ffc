/** What operators watch the host through: error reports to Sentry, delivery metrics, and the plugins' health. */
package com.rainforestqa.integrations.host.observe;
