import Foundation
import SwitchboardTestSupport
import Testing

#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A binary deployed without the folder of files SwiftPM puts beside it
/// (`switchboard_SwitchboardServer.resources`): the console's page and the API description.
@Suite("A binary without its resource folder", .timeLimit(.minutes(2)))
struct ShippedResourcesTests {
    @Test("answers 404 for the console's files and the API description, and keeps serving")
    func withoutTheFolder() async throws {
        let switchboard = try SwitchboardProcess()
        defer { switchboard.removeFolder() }
        // A copy in a folder of its own, as an operator who copied only the binary has it. The
        // folder it was built in still holds the files: they must not be taken from there.
        let copy = switchboard.folder.appendingPathComponent("bin/switchboard")
        try FileManager.default.createDirectory(at: copy.deletingLastPathComponent(), withIntermediateDirectories: true)
        try FileManager.default.copyItem(at: SwitchboardProcess.executable(), to: copy)
        let server = try RunningSwitchboard(executable: copy, arguments: switchboard.configured(["serve"]), folder: switchboard.folder)
        defer { server.forceStop() }

        let listening = await eventually(within: .seconds(60)) { server.standardError.text.contains("switchboard is listening") }
        try #require(listening, "stderr: \(server.standardError.text)")
        let port = try #require(CommandLineTests.listeningPort(in: server.standardError.text))

        let missing = [
            ("/openapi.json", "the API description was not installed with this binary"),
            ("/console", "the console was not installed with this binary"),
            ("/console/console.js", "the console was not installed with this binary"),
            ("/console/console.css", "the console was not installed with this binary"),
        ]
        for (path, message) in missing {
            let (status, body) = try await get(path, port: port)
            #expect(status == 404, "\(path): \(status) \(body)")
            #expect(body.contains(message), "\(path): \(body)")
        }
        let (status, _) = try await get("/healthz", port: port)
        #expect(status == 200)

        server.signal(SIGTERM)
        let exit = await server.exitStatus(within: .seconds(20))
        #expect(exit == 0, "stderr: \(server.standardError.text)")
        #expect(!server.endedBySignal, "stderr: \(server.standardError.text)")
    }

    private func get(_ path: String, port: Int) async throws -> (Int, String) {
        var request = URLRequest(url: try #require(URL(string: "http://127.0.0.1:\(port)\(path)")))
        request.timeoutInterval = 10
        let (body, response) = try await URLSession.shared.data(for: request)
        return ((response as? HTTPURLResponse)?.statusCode ?? 0, String(decoding: body, as: UTF8.self))
    }
}
