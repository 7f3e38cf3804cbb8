import Hummingbird

/// `GET /healthz`: answers while the server can serve.
enum HealthController {
    struct Status: ResponseEncodable {
        var status: String
    }
}
