/// The one place a receipt changes a message's status: every receipt goes through ``record(_:)``,
/// and the change it made, if any, comes back to the caller (to announce it).
package struct ReceiptRecorder: Sendable {
    let store: any ReceiptStore

    package init(store: any ReceiptStore) {
        self.store = store
    }

    /// Records the receipt and returns what it did to its message.
    package func record(_ receipt: DeliveryReceipt) async throws -> ReceiptOutcome {
        try await store.record(receipt)
    }
}
