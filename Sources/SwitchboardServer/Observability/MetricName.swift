/// Every metric the daemon exports, by its Prometheus name. The README's "Monitoring" section and
/// `Observability/grafana-dashboard.json` use exactly these.
///
/// Label values are bounded: configured names (apps, routes, providers), ISO country codes, outcome
/// classes, route templates and status codes; never a number, an id or free text.
enum MetricName {
    /// Counter `app, kind, country, route, provider, outcome`: sends that reached the providers.
    static let sends = "switchboard_sends_total"
    /// Histogram `kind, outcome`: from the request to the saved outcome.
    static let sendDuration = "switchboard_send_duration_seconds"
    /// Counter `provider, outcome, reason`: every attempt; `reason` says why one was skipped.
    static let attempts = "switchboard_provider_attempts_total"
    /// Histogram `provider`: attempts that called the provider.
    static let attemptDuration = "switchboard_provider_attempt_duration_seconds"
    /// Counter `provider, country`: segments of accepted messages (what providers charge for).
    static let segments = "switchboard_segments_total"
    /// Gauge `provider`: 0 closed, 1 half-open, 2 open.
    static let breakerState = "switchboard_provider_breaker_state"
    /// Gauge `provider`: seconds left of a Retry-After the provider asked for; 0 when none.
    static let retryAfter = "switchboard_provider_retry_after_seconds"
    /// Counter `provider, outcome`: OAuth2 token requests (first tokens and refreshes); `outcome` is
    /// `ok` or why none came back (`token_unreachable`, `token_refused`, `token_invalid`, `token_request_unbuildable`).
    static let tokenRequests = "switchboard_provider_token_refreshes_total"
    /// Histogram: how long a store's write transaction took from its start to its commit, `fsync` included.
    static let storeCommitDuration = "switchboard_store_commit_duration_seconds"
    /// Histogram: how many writes one committed transaction carried (group commit).
    static let storeBatchSize = "switchboard_store_commit_batch_size"
    /// Gauge: 1 while the store's database can be reached, 0 while the daemon knows it cannot.
    static let storeReachable = "switchboard_store_reachable"
    /// Counter: how many times the daemon found its database out of reach.
    static let storeOutages = "switchboard_store_outages_total"
    /// Counter: connections to the database found to lead nowhere while the server answered, and closed.
    static let storeStrandedConnections = "switchboard_store_stranded_connections_total"
    /// Gauge: the database server's clock minus this daemon's, in seconds, at the last reading.
    static let storeClockOffset = "switchboard_store_clock_offset_seconds"
    /// Counter `app, country`: OTP messages a provider accepted.
    static let otpSends = "switchboard_otp_sends_total"
    /// Counter `app, country`: OTP sends refused by the send limits.
    static let otpSendRefusals = "switchboard_otp_send_refusals_total"
    static let otpAbuseRefusals = "switchboard_otp_abuse_refusals_total"
    /// Gauge `app, country`: 1 while the conversion rule slows sends to the country, else 0.
    static let otpSlowedCountries = "switchboard_otp_conversion_slowed_countries"
    /// Gauge `app`: number prefixes the conversion rule slows sends to.
    static let otpSlowedPrefixes = "switchboard_otp_conversion_slowed_prefixes"
    /// Counter `app, country, result` (approved, wrong, expired, locked, no_code).
    static let otpVerifications = "switchboard_otp_verifications_total"
    /// Counter `app, country`: wrong codes that locked a user.
    static let otpLockouts = "switchboard_otp_lockouts_total"
    /// Counter `provider, result`: delivery receipts (``ReceiptMetrics``).
    static let receipts = "switchboard_receipts_total"
    /// Counter `route, method, status`: HTTP requests by route template.
    static let httpRequests = "switchboard_http_requests_total"
    /// Histogram `route, method`.
    static let httpDuration = "switchboard_http_request_duration_seconds"
}
