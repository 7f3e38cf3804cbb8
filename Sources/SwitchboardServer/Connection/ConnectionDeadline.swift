import SwitchboardCore

/// When one HTTP connection must be closed for taking too long, as a value driven by what has
/// arrived and the instants it is given: no clock, no timer, no I/O inside. The channel handler
/// feeds it events and closes the connection once ``deadline`` has passed.
///
/// - Waiting for a request: the idle limit, from the connection's start or the end of the last response.
/// - Reading a request's headers: the header limit, from their first byte.
/// - Reading a request's body: the body limit, from the end of its headers.
/// - Answering (the whole request read, the response not yet finished): no limit here; the send
///   has deadlines of its own.
struct ConnectionDeadline<Instant: InstantProtocol<Duration>> {
    private let limits: ConnectionLimits
    private var idleSince: Instant
    private var firstHeaderByteAt: Instant?
    private var bodyStartedAt: Instant?
    /// Requests whose headers have arrived and whose response has not ended.
    private var unanswered = 0

    init(limits: ConnectionLimits, openedAt: Instant) {
        self.limits = limits
        self.idleSince = openedAt
    }

    /// Which limit a deadline stands for, for the log.
    enum Limit: String {
        case header, body, idle
    }

    /// The instant past which the connection is closed and the limit that sets it; `nil` while a
    /// request is being answered.
    var deadline: (instant: Instant, limit: Limit)? {
        if let bodyStartedAt { return (bodyStartedAt.advanced(by: limits.body), .body) }
        if unanswered > 0 { return nil }
        if let firstHeaderByteAt { return (firstHeaderByteAt.advanced(by: limits.header), .header) }
        return (idleSince.advanced(by: limits.idle), .idle)
    }

    /// Bytes came in. Outside a request body they are the start of the next request's headers.
    mutating func bytesArrived(at instant: Instant) {
        if bodyStartedAt == nil, firstHeaderByteAt == nil { firstHeaderByteAt = instant }
    }

    mutating func headersArrived(at instant: Instant) {
        firstHeaderByteAt = nil
        bodyStartedAt = instant
        unanswered += 1
    }

    mutating func requestEnded() {
        bodyStartedAt = nil
    }

    mutating func responseEnded(at instant: Instant) {
        unanswered = max(0, unanswered - 1)
        idleSince = instant
    }
}
