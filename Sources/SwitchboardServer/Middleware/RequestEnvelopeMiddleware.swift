import Hummingbird
import Logging
import SwitchboardCore

/// What every request gets around its route:
/// - an id (``RequestID``), on every log line of the request and in its answer, errors included;
/// - `501` for a body in a transfer coding other than `chunked` (``TransferCoding``);
/// - errors that do not know their response logged where operators look, and answered with a plain
///   `500` that says nothing of the internals; a database out of reach (``StoreUnavailable``) with
///   `503` and `Retry-After`;
/// - with `metrics`, a count by route template and answer status, and a time.
///
/// One middleware rather than one for each: every middleware is a level of async call, and every
/// request in flight keeps a frame for each level it is in (`Benchmarks/HISTORY.md`). Of the
/// routers' own context, not generic over it: a router holds its middleware as an existential,
/// through which a generic one would run unspecialized.
struct RequestEnvelopeMiddleware: RouterMiddleware {
    typealias Context = SwitchboardRequestContext

    /// `nil` where requests are not counted (the admin API).
    var metrics: HTTPMetrics?

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        var context = context
        let id = RequestID.identify(request, logger: &context.logger)
        let start = ContinuousClock.now
        var response: Response
        do {
            if let refusal = TransferCoding.refusal(of: request) { throw refusal }
            response = try await next(request, context)
        } catch {
            response = try answer(to: error, of: request, context: context, since: start)
        }
        record(request, context: context, status: response.status, since: start)
        response.headers[RequestID.header] = id
        return response
    }

    /// The answer to an error: its own when it knows it, else a logged `500`. Synchronous and never
    /// inlined, like ``RequestID/identify(_:logger:)``: what it needs stays out of `handle`'s frame.
    @inline(never)
    private func answer(to error: any Error, of request: Request, context: Context, since start: ContinuousClock.Instant) throws -> Response {
        let answerable: any HTTPResponseError
        if let known = error as? any HTTPResponseError {
            answerable = known
        } else if let unavailable = error as? StoreUnavailable {
            // The store logs the outage once each way; a line per refused request would repeat it
            // thousands of times a second under load.
            context.logger.logOutsideFrame(.debug, "request refused: the database cannot be reached", metadata: ["sb.error": "\(unavailable.reason)"])
            answerable = APIError.storeUnavailable(retryAfter: unavailable.retryAfter)
        } else {
            context.logger.logOutsideFrame(
                .error, "request failed",
                metadata: ["sb.error": "\(String(reflecting: type(of: error)))", "sb.error.detail": "\(logDescription(of: error))"]
            )
            answerable = APIError(status: .internalServerError, code: "internal_error", message: "the server could not complete the request; see its log")
        }
        do {
            return try answerable.response(from: request, context: context)
        } catch {
            // Hummingbird answers 500 to an error that reaches it.
            record(request, context: context, status: .internalServerError, since: start)
            throw error
        }
    }

    private func record(_ request: Request, context: Context, status: HTTPResponse.Status, since start: ContinuousClock.Instant) {
        metrics?.record(route: context.endpointPath, method: request.method, status: status, elapsed: ContinuousClock.now - start)
    }
}
