import Hummingbird
import NIOCore

/// `GET /openapi.json`: the OpenAPI 3.1 description of every endpoint (`OpenAPI/openapi.json`,
/// shipped as the target's resource).
enum OpenAPIController {
    /// Read once, on first use; `nil` when the resource bundle was not shipped beside the binary.
    static let document = ShippedResources.contents(of: "openapi", withExtension: "json")

    static func addRoutes<Context: RequestContext>(to router: Hummingbird.Router<Context>) {
        router.get("/openapi.json") { _, _ -> Response in
            guard let document else {
                throw APIError(status: .notFound, code: "not_found", message: "the API description was not installed with this binary")
            }
            return Response(status: .ok, headers: [.contentType: "application/json"], body: ResponseBody(byteBuffer: document))
        }
    }
}
