import Foundation
import SwitchboardCore
import SwitchboardProviders
import SwitchboardTestSupport
import Testing

/// Every form parameter `twilio-verify` sends, checked against Twilio's official Verify v2
/// OpenAPI document (the two operations, unchanged, in `Schemas/twilio_verify_v2_extract.json`):
/// each is a parameter of its operation, every required one is sent, and the paths and values
/// are the document's.
@Suite("twilio-verify against the Verify v2 OpenAPI document", .timeLimit(.minutes(3)))
struct TwilioVerifySpecTests {
    static let specFile = repositoryPath("Tests/SwitchboardProvidersTests/Schemas/twilio_verify_v2_extract.json")
    static let startPath = "/v2/Services/{ServiceSid}/Verifications"
    static let checkPath = "/v2/Services/{ServiceSid}/VerificationCheck"

    struct Operation {
        var properties: Set<String>
        var required: Set<String>
    }

    static func spec() throws -> [String: Any] {
        let data = try Data(contentsOf: URL(fileURLWithPath: specFile))
        return try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
    }

    static func operation(_ path: String, in spec: [String: Any]) throws -> Operation {
        let paths = try #require(spec["paths"] as? [String: Any])
        let item = try #require(paths[path] as? [String: Any], "the document has no \(path)")
        let post = try #require(item["post"] as? [String: Any])
        let body = try #require(post["requestBody"] as? [String: Any])
        let content = try #require(body["content"] as? [String: Any])
        let form = try #require(content["application/x-www-form-urlencoded"] as? [String: Any], "\(path) takes no form body")
        let schema = try #require(form["schema"] as? [String: Any])
        let properties = try #require(schema["properties"] as? [String: Any])
        return Operation(properties: Set(properties.keys), required: Set(schema["required"] as? [String] ?? []))
    }

    /// One start and one check through the fake, with every optional setting given, so that every
    /// parameter the definition can send is sent.
    static func requests() async throws -> (start: FakeHTTPServer.Request, check: FakeHTTPServer.Request, serviceSID: String) {
        let fake = try await FakeTwilioVerify()
        let settings = "account_sid: \(fake.accountSID)\nauth_token: \(fake.authToken)\nservice_sid: \(fake.serviceSID)\nbase_url: \(fake.server.baseURL)\nlocale: pt-BR"
        try await withVerifyProvider(type: "twilio-verify", settings: settings) { provider in
            _ = await send(provider, try loginOTP())
            _ = try await check(provider, "123456")
        }
        await fake.server.shutdown()
        let requests = fake.requests
        try #require(requests.count == 2)
        return (requests[0], requests[1], fake.serviceSID)
    }

    @Test func everyParameterSentIsTheDocumentsAndEveryRequiredOneIsSent() async throws {
        let spec = try Self.spec()
        let (start, checkRequest, _) = try await Self.requests()
        for (request, path) in [(start, Self.startPath), (checkRequest, Self.checkPath)] {
            let operation = try Self.operation(path, in: spec)
            let sent = request.formFields.map(\.0)
            #expect(Set(sent).count == sent.count, "\(path): a parameter sent twice in \(sent)")
            #expect(Set(sent).subtracting(operation.properties).isEmpty, "\(path): not in the document: \(Set(sent).subtracting(operation.properties))")
            #expect(operation.required.subtracting(sent).isEmpty, "\(path): required but not sent: \(operation.required.subtracting(sent))")
        }
        // The check names the verification by number: the document wants To or VerificationSid.
        #expect(checkRequest.formField("To") != nil)
        #expect(checkRequest.formField("Code") != nil)
    }

    @Test func pathsAreTheDocumentsWithTheServiceSID() async throws {
        let spec = try Self.spec()
        let (start, checkRequest, serviceSID) = try await Self.requests()
        let paths = try #require(spec["paths"] as? [String: Any])
        let startTemplate = start.path.replacingOccurrences(of: serviceSID, with: "{ServiceSid}")
        let checkTemplate = checkRequest.path.replacingOccurrences(of: serviceSID, with: "{ServiceSid}")
        #expect(startTemplate == Self.startPath)
        #expect(checkTemplate == Self.checkPath)
        #expect(paths[startTemplate] != nil)
        #expect(paths[checkTemplate] != nil)
    }

    @Test func theChannelAndTheCheckStatusesAreTheDocumentsValues() throws {
        let spec = try Self.spec()
        let components = try #require((spec["components"] as? [String: Any])?["schemas"] as? [String: Any])
        let channels = try #require((components["verification_enum_channel"] as? [String: Any])?["enum"] as? [String])
        #expect(channels.contains("sms"))
        let checkSchema = try #require(components["verify.v2.service.verification_check"] as? [String: Any])
        let status = try #require((checkSchema["properties"] as? [String: Any])?["status"] as? [String: Any])
        let description = try #require(status["description"] as? String)
        // "Can be: `pending`, `approved`, ...": every status the definition's rules name is one of them.
        let documented = Set(description.split(separator: "`").enumerated().filter { $0.offset % 2 == 1 }.map { String($0.element) })
        let definition = try #require(try shippedCatalog().definitions["twilio-verify"])
        let rules = try #require(definition.verify?.check.classification.rules)
        var named: Set<String> = []
        for rule in rules {
            for condition in rule.conditions where condition.field == "status" {
                for case .exact(let value) in condition.matchers { named.insert(value) }
            }
        }
        #expect(!named.isEmpty)
        #expect(named.subtracting(documented).isEmpty, "statuses the document does not list: \(named.subtracting(documented))")
        #expect(documented.subtracting(named).isEmpty, "statuses the definition does not classify: \(documented.subtracting(named))")
    }
}
