import Hummingbird
import SwitchboardCore
import SwitchboardProviders

/// `GET /admin/route?to=&app=&kind=`: how the configuration in force would route a message, rule
/// by rule, without sending anything (what `switchboard route --json` prints, from the daemon).
struct AdminRouteController<Context: RequestContext> {
    let configuration: ConfigurationReloader

    func addRoutes(to group: RouterGroup<Context>) {
        group.get("route", use: explain)
    }

    /// The number as parsed, then the router's explanation.
    struct Answer: ResponseEncodable {
        var input: String
        var calling_code: Int
        var national_number: String
        var explanation: RouteExplanation
    }

    func explain(_ request: Request, context: Context) async throws -> Answer {
        let parameters = request.uri.queryParameters
        guard let raw = parameters["to"].map(String.init), !raw.isEmpty else {
            throw APIError.badRequest("missing_parameter", "query parameter 'to' is required: the destination, such as +447700900123")
        }
        let number: PhoneNumber
        do {
            number = try PhoneNumberParser.parse(raw)
        } catch {
            throw APIError.badRequest("invalid_number", "query parameter 'to': \"\(raw)\" is not a valid number: \(error)")
        }
        var kind = MessageKind.transactional
        if let text = parameters["kind"].map(String.init) {
            guard let parsed = MessageKind(rawValue: text) else {
                throw APIError.badRequest("invalid_parameter", "query parameter 'kind' must be \"otp\" or \"transactional\", not \"\(text)\"")
            }
            kind = parsed
        }
        let running = configuration.current
        let app = parameters["app"].map(String.init) ?? ""
        if !app.isEmpty, running.config.app(app) == nil {
            throw APIError.badRequest(
                "unknown_app", "query parameter 'app': there is no app '\(app)'; configured: \(running.config.apps.map(\.id).joined(separator: ", "))"
            )
        }
        let explanation = running.assembled.gateway.router.explain(number, app: app, kind: kind)
        return Answer(input: raw, calling_code: number.callingCode, national_number: number.nationalNumber, explanation: explanation)
    }
}
