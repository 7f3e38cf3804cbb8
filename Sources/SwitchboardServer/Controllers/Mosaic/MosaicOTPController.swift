import HTTPTypes
import Hummingbird
import SwitchboardCore
import SwitchboardJSON
import SwitchboardOTP

/// The Mosaic API's one-time codes: sending one, and logging in with it.
struct MosaicOTPController<Parent: ClientTokenRequestContext> {
    typealias Context = MosaicClientRequestContext<Parent>
    let login: LoginService

    func addRoutes(to api: RouterGroup<Context>) {
        api.post("auth/otp/send", use: sendOTP)
        api.post("auth/otp/authenticate", use: authenticate)
    }

    struct SendBody: Decodable {
        struct CustomSMSInput: Decodable {
            var custom_message: String?
            var sender_id: String?
        }

        var channel: String
        var identifier_type: String
        var identifier: String
        var custom_sms_input: CustomSMSInput?
        var custom_phone_number: String?
        var expires_in: Int?
        var approval_data: [String: String]?
        var generate_request_id: Bool?
    }

    func sendOTP(_ request: Request, context: Context) async throws -> Response {
        let client = context.client
        let body = try await MosaicRequestBody.decode(SendBody.self, from: request)
        var input = SendOTPInput(
            channel: body.channel,
            identifierType: body.identifier_type,
            identifier: body.identifier,
            customMessage: body.custom_sms_input?.custom_message,
            senderID: body.custom_sms_input?.sender_id,
            customPhoneNumber: body.custom_phone_number,
            expiresInMinutes: body.expires_in,
            approvalData: body.approval_data,
            generateRequestID: body.generate_request_id ?? false
        )
        if let rule = client.app.otp.perAddress {
            // Only the header the app trusts, or the connection: never a header it did not name.
            input.clientAddress = rule.header.map { name in HTTPField.Name(name).flatMap { request.headers[$0] } } ?? context.remoteAddress
        }
        let result: SendOTPResult
        do {
            result = try await login.sendOTP(input, client: client, logger: context.logger)
        } catch let error as LoginError {
            throw error.mosaicError
        }
        var answer: JSONObject = ["message": "OTP sent"]
        if let code = result.code { answer["code"] = .string(code) }
        if let requestID = result.requestID { answer["request_id"] = .string(requestID) }
        if let approval = result.approvalData { answer["approval_data"] = .object(JSONObject(approval.map { ($0.key, .string($0.value)) })) }
        return MosaicJSON.response(answer)
    }

    struct AuthenticateBody: Decodable {
        var passcode: String
        var identifier_type: String
        var identifier: String
        var request_id: String?
        var session_id: String?
        var resource: String?
    }

    func authenticate(_ request: Request, context: Context) async throws -> Response {
        let client = context.client
        let body = try await MosaicRequestBody.decode(AuthenticateBody.self, from: request)
        let input = AuthenticateInput(
            passcode: body.passcode,
            identifierType: body.identifier_type,
            identifier: body.identifier,
            requestID: body.request_id,
            sessionID: body.session_id,
            resource: body.resource
        )
        do {
            let tokens = try await login.authenticate(input, client: client, logger: context.logger)
            return MosaicJSON.response(
                MosaicSessionsController<Parent>.tokenObject(tokens, includeSession: true),
                headers: [.cacheControl: "no-store"]
            )
        } catch let error as LoginError {
            throw error.mosaicError
        }
    }
}
