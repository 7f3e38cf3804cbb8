import SwitchboardJSON

// Login requests read straight from the parsed body; see `JSONFastDecodable` for why errors are
// still JSONDecoder's.

extension MosaicOTPController.SendBody: JSONFastDecodable {
    init(fastPath object: JSONObject) throws(JSONFastPathMiss) {
        var input: CustomSMSInput?
        if let custom = try object.optionalObject("custom_sms_input") {
            input = CustomSMSInput(custom_message: try custom.optionalString("custom_message"), sender_id: try custom.optionalString("sender_id"))
        }
        self.init(
            channel: try object.string("channel"),
            identifier_type: try object.string("identifier_type"),
            identifier: try object.string("identifier"),
            custom_sms_input: input,
            custom_phone_number: try object.optionalString("custom_phone_number"),
            expires_in: try object.optionalInt("expires_in"),
            approval_data: try object.optionalStringDictionary("approval_data"),
            generate_request_id: try object.optionalBool("generate_request_id")
        )
    }
}

extension MosaicOTPController.AuthenticateBody: JSONFastDecodable {
    init(fastPath object: JSONObject) throws(JSONFastPathMiss) {
        self.init(
            passcode: try object.string("passcode"),
            identifier_type: try object.string("identifier_type"),
            identifier: try object.string("identifier"),
            request_id: try object.optionalString("request_id"),
            session_id: try object.optionalString("session_id"),
            resource: try object.optionalString("resource")
        )
    }
}

extension MosaicSessionsController.RefreshBody: JSONFastDecodable {
    init(fastPath object: JSONObject) throws(JSONFastPathMiss) {
        self.init(refresh_token: try object.string("refresh_token"))
    }
}

extension MosaicSessionsController.LogoutBody: JSONFastDecodable {
    init(fastPath object: JSONObject) throws(JSONFastPathMiss) {
        self.init(session_id: try object.string("session_id"))
    }
}

extension MosaicGatewayController.SMS: JSONFastDecodable {
    init(fastPath object: JSONObject) throws(JSONFastPathMiss) {
        self.init(
            phone_number: try object.string("phone_number"),
            sender_id: try object.optionalString("sender_id"),
            message: try object.string("message")
        )
    }
}
