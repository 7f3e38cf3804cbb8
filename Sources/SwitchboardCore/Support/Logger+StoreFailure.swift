package import Logging

extension Logger {
    /// A background pass (a sweep, a claim, a count) that could not use the store: at `error`,
    /// except while the database is out of reach (``StoreUnavailable``), which the store logs once
    /// when it goes and once when it is back; then at `debug`, so that passes every second do not
    /// repeat the same outage in the log.
    package func storeFailure(_ message: Logger.Message, error: any Error) {
        log(level: error is StoreUnavailable ? .debug : .error, message, metadata: ["sb.error": "\(logDescription(of: error))"])
    }
}
