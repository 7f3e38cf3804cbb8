import HTTPTypes
import Hummingbird
import NIOCore

/// `GET /console`: the operators' web page (static HTML, a script and a style sheet shipped as the
/// target's resources, no build step). It holds no data: its script asks the admin API with the
/// admin token the person types, so the page itself needs no credential.
///
/// Every answer forbids inline script and framing, and is never sniffed as another type: the page
/// shows message texts callers wrote, and the browser must treat them as text.
enum ConsoleController {
    /// One file of the page, read once on first use; `nil` when the resources were not shipped.
    struct Asset: Sendable {
        let contentType: String
        let body: ByteBuffer?

        init(_ name: String, _ ext: String, contentType: String) {
            self.contentType = contentType
            body = ShippedResources.contents(of: name, withExtension: ext)
        }
    }

    static let page = Asset("console", "html", contentType: "text/html; charset=utf-8")
    static let script = Asset("console", "js", contentType: "text/javascript; charset=utf-8")
    static let style = Asset("console", "css", contentType: "text/css; charset=utf-8")

    /// Only the page's own files load; it talks only to its own origin; nothing frames it.
    static let contentSecurityPolicy =
        "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; connect-src 'self'; "
        + "base-uri 'none'; form-action 'none'; frame-ancestors 'none'"

    static func addRoutes<Context: RequestContext>(to router: Hummingbird.Router<Context>) {
        router.get("/console") { _, _ in try serve(page) }
        router.get("/console/console.js") { _, _ in try serve(script) }
        router.get("/console/console.css") { _, _ in try serve(style) }
    }

    static func serve(_ asset: Asset) throws -> Response {
        guard let body = asset.body else {
            throw APIError(status: .notFound, code: "not_found", message: "the console was not installed with this binary")
        }
        return Response(status: .ok, headers: headers(contentType: asset.contentType), body: ResponseBody(byteBuffer: body))
    }

    static func headers(contentType: String) -> HTTPFields {
        var headers = HTTPFields()
        headers[.contentType] = contentType
        headers[.contentSecurityPolicy] = contentSecurityPolicy
        headers[HTTPField.Name("X-Frame-Options")!] = "DENY"
        headers[HTTPField.Name("X-Content-Type-Options")!] = "nosniff"
        headers[HTTPField.Name("Referrer-Policy")!] = "no-referrer"
        headers[.cacheControl] = "no-store"
        return headers
    }
}
