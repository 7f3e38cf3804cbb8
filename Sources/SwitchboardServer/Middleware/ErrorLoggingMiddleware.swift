import Hummingbird
import Logging
import SwitchboardCore

/// Lets errors that know their response through, and turns every other error into a plain 500
/// that says nothing of the internals, after logging it where operators look.
struct ErrorLoggingMiddleware<Context: RequestContext>: RouterMiddleware {
    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        do {
            return try await next(request, context)
        } catch let error as any HTTPResponseError {
            throw error
        } catch {
            context.logger.logOutsideFrame(
                .error, "request failed",
                metadata: ["sb.error": "\(String(reflecting: type(of: error)))", "sb.error.detail": "\(logDescription(of: error))"]
            )
            throw APIError(status: .internalServerError, code: "internal_error", message: "the server could not complete the request; see its log")
        }
    }
}
