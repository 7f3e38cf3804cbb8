import Hummingbird

/// The application's responder: each request is answered by the configuration in force when it
/// arrived, from start to end; the admin API, `/metrics` and the console (when they share the
/// address) by their own routes, which do not change with the configuration.
struct ReloadingResponder: HTTPResponder {
    let configuration: ConfigurationReloader
    /// `nil` when the admin API listens on an address of its own (`admin.listen`).
    let admin: RouterResponder<SwitchboardRequestContext>?

    func respond(to request: Request, context: SwitchboardRequestContext) async throws -> Response {
        if let admin, Self.isAdminPath(request.uri.path) {
            return try await admin.respond(to: request, context: context)
        }
        return try await configuration.current.responder.respond(to: request, context: context)
    }

    /// The admin API's, `/metrics` and the console page's.
    static func isAdminPath(_ path: String) -> Bool {
        path == "/admin" || path.hasPrefix("/admin/") || path == "/metrics" || path == "/console" || path.hasPrefix("/console/")
    }
}
