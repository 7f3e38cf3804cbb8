import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing

extension APISuite {
    /// Expects the gateway API's error answer, `{"error": {"code", "message"}}`, with this status
    /// and code.
    /// - Returns: The `error` object, for the test to check its message and details.
    /// - Throws: When the body is not that shape, which ends the test.
    func errorAnswer(
        _ response: TestResponse, _ status: HTTPResponse.Status, code: String, sourceLocation: SourceLocation = #_sourceLocation
    ) throws -> [String: Any] {
        #expect(response.status == status, sourceLocation: sourceLocation)
        #expect(response.headers[.contentType] == "application/json; charset=utf-8", sourceLocation: sourceLocation)
        let detail = try #require(try json(response.body)["error"] as? [String: Any], sourceLocation: sourceLocation)
        #expect(detail["code"] as? String == code, sourceLocation: sourceLocation)
        return detail
    }

    /// The `message` of an error answer; empty when there is none, so an expectation on it fails by itself.
    func message(of detail: [String: Any]) -> String {
        detail["message"] as? String ?? ""
    }
}
