import HTTPTypes
import SwitchboardCore

extension SendError {
    /// The answer of Mosaic's custom SMS gateway contract to a send that could not be made.
    var mosaicError: MosaicError {
        if case .deliveryFailed = self {
            return .auth(.badGateway, "sms_delivery_failed", "no provider accepted the message")
        }
        return .auth(.badRequest, "system_invalid_input", description)
    }
}
