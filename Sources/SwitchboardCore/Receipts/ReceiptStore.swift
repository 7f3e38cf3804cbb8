/// Where delivery receipts are kept, beside the message log.
package protocol ReceiptStore: Sendable {
    /// Records a receipt and, in the same transaction, moves the message `receipt.provider`
    /// accepted as `receipt.providerMessageID` forward when the receipt is ahead of it
    /// (``MessageLifecycle``), stamping its `updatedAt` with the receipt's time, so that a late save
    /// of the send's own outcome never replaces it.
    ///
    /// A receipt for an id no message has is kept all the same: it may have overtaken the send's
    /// final save, and the message shows it once that save lands.
    func record(_ receipt: DeliveryReceipt) async throws -> ReceiptOutcome
}
