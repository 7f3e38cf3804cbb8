import Foundation
import SwitchboardTestSupport
import Testing

/// A body with a transfer coding other than `chunked` (here `gzip` applied before the chunking, which
/// the HTTP parser frames and so hands to the app) is 501 `unsupported_transfer_encoding`, naming the
/// coding, and the connection is closed.
@Suite("Unsupported transfer codings", .timeLimit(.minutes(3)))
struct TransferCodingTests {
    @Test("Transfer-Encoding: gzip, chunked is 501 unsupported_transfer_encoding naming it, and the connection closes")
    func gzipThenChunked() async throws {
        try await HTTPConnectionTests().withServer { port in
            try await RawHTTPConnection.with(port: port) { connection in
                try await connection.send(
                    "POST /v1/messages HTTP/1.1\r\nHost: a\r\nAuthorization: Bearer test-api-key-1\r\nContent-Type: application/json\r\n"
                        + "Transfer-Encoding: gzip, chunked\r\n\r\n5\r\n{\"a\":\r\n0\r\n\r\n"
                )
                let response = try await connection.readResponse()
                #expect(response.status == 501, "\(response.body)")
                let detail = try #require(jsonObject(response.body.utf8)?["error"] as? [String: Any])
                #expect(detail["code"] as? String == "unsupported_transfer_encoding")
                #expect((detail["message"] as? String)?.hasPrefix("Transfer-Encoding 'gzip, chunked' is not supported") == true, "\(response.body)")
                #expect(response.header("Connection") == "close")
                try await connection.waitForClose(within: .seconds(60))
            }
        }
    }
}
