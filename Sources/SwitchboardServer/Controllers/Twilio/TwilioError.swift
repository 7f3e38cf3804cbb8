import Foundation
import Hummingbird
import SwitchboardCore

/// An error as Twilio's API answers it: `{"code", "message", "more_info", "status"}`, so the SDKs
/// raise their own exception with the same code. Codes are Twilio's where one fits.
struct TwilioError: HTTPResponseError {
    let status: HTTPResponse.Status
    let code: Int
    let message: String
    var headers: HTTPFields = [:]

    /// 20003: the account SID and auth token do not match an app.
    static func authenticate() -> TwilioError {
        TwilioError(status: .unauthorized, code: 20003, message: "Authenticate", headers: [.wwwAuthenticate: "Basic realm=\"Twilio API\""])
    }

    /// 20404: no such resource, or one of another account.
    static func notFound(_ path: String) -> TwilioError {
        TwilioError(status: .notFound, code: 20404, message: "The requested resource \(path) was not found")
    }

    /// 20503 with `Retry-After`: the database cannot be reached.
    static func storeUnavailable(_ unavailable: StoreUnavailable) -> TwilioError {
        let seconds = unavailable.retryAfter.retryAfterSeconds
        return TwilioError(
            status: .serviceUnavailable, code: 20503, message: "The service's database cannot be reached; retry after \(seconds) seconds",
            headers: [.retryAfter: String(seconds)]
        )
    }

    func response(from request: Request, context: some RequestContext) throws -> Response {
        var object: [String: Any] = [
            "code": code, "message": message, "more_info": "https://www.twilio.com/docs/errors/\(code)", "status": Int(status.code),
        ]
        if code == 0 { object["more_info"] = NSNull() }
        let data = try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys, .withoutEscapingSlashes])
        var headers = self.headers
        headers[.contentType] = "application/json; charset=utf-8"
        return Response(status: status, headers: headers, body: ResponseBody(byteBuffer: ByteBuffer(bytes: data)))
    }
}
