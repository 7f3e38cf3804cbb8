import Foundation
import HTTPTypes
import Hummingbird
import Logging
import SwitchboardCore
import SwitchboardJSON

/// Mosaic's custom SMS gateway (reference §4): a Mosaic tenant registers this URL and its API key,
/// checks it with a `GET` that must echo `X-Verification-Key`, then `POST`s every SMS to it, which
/// goes out through the one send interface.
///
/// The app whose routes and policy apply is `?app=ID`, or the only configured app.
struct MosaicGatewayController<Context: RemoteAddressRequestContext> {
    let gateway: Gateway
    let apiKeys: APIKeys

    func addRoutes(to router: Hummingbird.Router<Context>, atPath path: RouterPath) {
        router.get(path, use: verify)
        router.post(path, use: send)
    }

    /// Whether the request's `X-API-Key` is one of ours; a wrong one counts against the address.
    /// - Throws: A 429 while the address is refused for presenting wrong keys too often.
    private func keyIsValid(_ request: Request, context: Context) throws -> Bool {
        let presented = request.headers[.apiKey]?.utf8
        switch apiKeys.check(presented, context: context) {
        case .valid: return true
        case .missing, .wrong: return false
        case .refused(let wait): throw MosaicError.tooManyFailedCredentials(retryAfter: wait)
        }
    }

    func verify(_ request: Request, context: Context) async throws -> Response {
        guard try keyIsValid(request, context: context), let name = HTTPField.Name("X-Verification-Key"), let key = request.headers[name] else {
            // What Mosaic's own sample gateway answers.
            return Response(status: .badRequest, headers: [.contentType: "text/plain"], body: ResponseBody(byteBuffer: ByteBuffer(string: "Invalid request")))
        }
        let data = try JSONSerialization.data(withJSONObject: ["key": key])
        return Response(status: .ok, headers: [.contentType: "application/json"], body: ResponseBody(byteBuffer: ByteBuffer(bytes: data)))
    }

    struct SMS: Decodable {
        var phone_number: String
        var sender_id: String?
        var message: String
    }

    func send(_ request: Request, context: Context) async throws -> Response {
        guard try keyIsValid(request, context: context) else {
            throw MosaicError.auth(.unauthorized, "unauthorized", "X-API-Key is missing or not valid")
        }
        let appID = request.uri.queryParameters.get("app") ?? (gateway.config.apps.count == 1 ? gateway.config.apps[0].id : nil)
        guard let appID else {
            throw MosaicError.auth(.badRequest, "system_invalid_input", "add ?app=ID to the gateway URL: several apps are configured")
        }
        let sms = try await MosaicRequestBody.decode(SMS.self, from: request)
        var sender: SenderID?
        if let text = sms.sender_id, !text.isEmpty {
            do {
                sender = try SenderID(parsing: text)
            } catch {
                throw MosaicError.auth(.badRequest, "system_invalid_input", "field 'sender_id': \(error)")
            }
        }
        let sendRequest = SendRequest(to: sms.phone_number, app: appID, kind: .otp, content: Self.content(of: sms.message), sender: sender)
        do {
            let result = try await gateway.send(sendRequest, logger: context.logger)
            return MosaicJSON.response(["message_id": .string(result.messageID)])
        } catch let error as SendError {
            throw error.mosaicError
        }
    }

    /// Mosaic sends the finished text, code included. The one run of 4 to 10 digits in it is taken
    /// to be the code and sent as a template value, so that the message log masks it like our own
    /// OTPs; text with no such run, or several, is sent as it is.
    static func content(of message: String) -> MessageContent {
        let runs: [Substring] = message.split(whereSeparator: { !$0.isASCIIDigit }).filter { (4...10).contains($0.count) }
        guard runs.count == 1, let run = runs.first, !message.contains("{"), !message.contains("}") else { return .text(message) }
        var templateText = message
        templateText.replaceSubrange(run.startIndex..<run.endIndex, with: "{otp}")
        guard let template = try? MessageTemplate(parsing: templateText) else { return .text(message) }
        return .template(otp: String(run), minutes: nil, template: template)
    }
}
