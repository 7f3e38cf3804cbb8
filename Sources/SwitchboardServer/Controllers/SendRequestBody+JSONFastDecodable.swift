import SwitchboardJSON

extension MessagesController.SendRequestBody: JSONFastDecodable {
    init(fastPath object: JSONObject) throws(JSONFastPathMiss) {
        self.init(
            to: try object.string("to"),
            app: try object.string("app"),
            kind: try object.optionalString("kind"),
            text: try object.optionalString("text"),
            otp: try object.optionalString("otp"),
            minutes: try object.optionalInt("minutes"),
            sender: try object.optionalString("sender"),
            async: try object.optionalBool("async")
        )
    }
}
