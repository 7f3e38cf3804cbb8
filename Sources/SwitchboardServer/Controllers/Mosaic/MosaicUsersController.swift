import Foundation
import Hummingbird
import SwitchboardCore
import SwitchboardJSON
import SwitchboardOTP

/// The Mosaic API's users: creating one and looking one up by phone number.
struct MosaicUsersController<Parent: ClientTokenRequestContext> {
    typealias Context = MosaicClientRequestContext<Parent>
    let login: LoginService

    func addRoutes(to api: RouterGroup<Context>) {
        api.post("users", use: createUser)
        api.get("users/phone-number/:phone", use: userByPhone)
    }

    func createUser(_ request: Request, context: Context) async throws -> Response {
        let client = context.client
        let object = try await MosaicRequestBody.object(
            of: request,
            invalid: { MosaicError(status: .badRequest, body: ["message": [.string($0)], "error_code": 400]) }
        )
        var problems: [String] = []
        func string(_ key: String) -> String? {
            guard let value = object[key], value != .null else { return nil }
            guard case .string(let text) = value else {
                problems.append("\(key) must be a string")
                return nil
            }
            return text
        }
        func objectText(_ key: String) -> String? {
            guard let value = object[key], value != .null else { return nil }
            guard case .object = value else {
                problems.append("\(key) must be an object")
                return nil
            }
            return String(decoding: MosaicJSON.bytes(value), as: UTF8.self)
        }
        let input = NewUserInput(
            phoneNumber: string("phone_number"),
            email: string("email"),
            username: string("username"),
            externalUserID: string("external_user_id"),
            nameJSON: objectText("name"),
            customDataJSON: objectText("custom_data")
        )
        guard problems.isEmpty else {
            throw MosaicError(status: .badRequest, body: ["message": .array(problems.map(JSON.string)), "error_code": 400])
        }
        do {
            let (user, _) = try await login.createUser(input, client: client)
            return MosaicJSON.response(["result": .object(Self.userObject(user, app: client.app))], status: .created)
        } catch let error as UserInputError {
            throw MosaicError(status: .badRequest, body: ["message": .array(error.messages.map(JSON.string)), "error_code": 400])
        } catch let error as IdentifierConflictError {
            throw error.mosaicError
        }
    }

    func userByPhone(_ request: Request, context: Context) async throws -> Response {
        let client = context.client
        let phone = try context.parameters.require("phone")
        guard let user = try await login.user(phoneNumber: phone.removingPercentEncoding ?? phone, client: client) else {
            throw MosaicError(status: .notFound, body: ["message": "User not found", "error_code": 404])
        }
        return MosaicJSON.response(["result": .object(Self.userObject(user, app: client.app))])
    }

    /// Mosaic's `ApiUser`: dates are milliseconds since 1970.
    static func userObject(_ user: LoginUser, app: AppSettings) -> JSONObject {
        func millis(_ date: Date) -> JSON { .number(Int64((date.timeIntervalSince1970 * 1000).rounded())) }
        var object: JSONObject = [
            "user_id": .string(user.id), "status": .string(user.status.rawValue), "created_at": millis(user.createdAt),
            "updated_at": millis(user.updatedAt), "app_name": .string(app.name),
        ]
        if let phone = user.phoneNumber {
            var value: JSONObject = ["value": .string(phone), "phone_number_verified": .bool(user.phoneNumberVerified)]
            if let at = user.phoneNumberVerifiedAt { value["verified_at"] = millis(at) }
            object["phone_number"] = .object(value)
        }
        if let email = user.email { object["email"] = ["value": .string(email), "email_verified": false] }
        if let username = user.username { object["username"] = .string(username) }
        if let external = user.externalUserID { object["external_user_id"] = .string(external) }
        for (key, text) in [("name", user.nameJSON), ("custom_data", user.customDataJSON)] {
            if let text, let value = try? JSONReader.parse(text) { object[key] = value }
        }
        return object
    }
}
