import Hummingbird

/// The application's responder: each request is answered by the configuration in force when it
/// arrived, from start to end; the admin API, `/metrics` and the console (when they share the
/// address) by their own routes, which do not change with the configuration.
struct ReloadingResponder: HTTPResponder {
    let configuration: ConfigurationReloader
    /// `nil` when the admin API listens on an address of its own (`admin.listen`).
    let admin: RouterResponder<SwitchboardRequestContext>?

    func respond(to request: Request, context: SwitchboardRequestContext) async throws -> Response {
        try await responder(for: request).respond(to: request, context: context)
    }

    /// Picked in a synchronous call: an async function's frame would hold a copy of each
    /// responder it names, and of the parsed path, for as long as the request is in flight.
    @inline(never)
    private func responder(for request: Request) -> RouterResponder<SwitchboardRequestContext> {
        if let admin, Self.isAdminPath(request.uri.path) {
            return admin
        }
        return configuration.current.responder
    }

    /// The admin API's, `/metrics` and the console page's.
    static func isAdminPath(_ path: String) -> Bool {
        path == "/admin" || path.hasPrefix("/admin/") || path == "/metrics" || path == "/console" || path.hasPrefix("/console/")
    }
}
