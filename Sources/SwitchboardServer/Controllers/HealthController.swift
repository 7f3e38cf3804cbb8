import Hummingbird
import SwitchboardCore

/// `GET /healthz`: answers while the server can serve. `GET /readyz`: whether it can serve what needs
/// its database, for a load balancer's health check.
enum HealthController {
    struct Status: ResponseEncodable {
        var status: String
    }

    /// `200 {"status":"ready"}`, or `503 {"status":"unavailable"}` with `Retry-After` while this
    /// daemon knows its database to be out of reach, so that a balancer sends its requests to the
    /// daemons that still reach theirs. Why is in the daemon's log, not in an answer anyone may ask for.
    static func readiness(of store: any MessageStore, request: Request, context: some RequestContext) throws -> Response {
        do {
            try store.checkWritable()
            return try Status(status: "ready").response(from: request, context: context)
        } catch let unavailable as StoreUnavailable {
            var response = try Status(status: "unavailable").response(from: request, context: context)
            response.status = .serviceUnavailable
            response.headers[.retryAfter] = String(unavailable.retryAfter.retryAfterSeconds)
            return response
        }
    }
}
