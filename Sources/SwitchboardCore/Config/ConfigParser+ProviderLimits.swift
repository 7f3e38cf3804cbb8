extension ConfigParser {
    /// `providers.NAME: { max_in_flight: 1000, queue: 1000, rate: 50 }`; every key is optional
    /// (defaults in `ProviderLimits`; `queue` defaults to `max_in_flight`). A wrong value is
    /// reported and its default kept, so the provider stays defined and routes naming it raise no
    /// second, misleading problem.
    static func readProviderLimits(_ fields: OrderedEntries) -> ProviderLimits {
        let maxInFlight = fields["max_in_flight"]?.integer(in: ProviderLimits.maxInFlightBounds) ?? ProviderLimits.defaultMaxInFlight
        let queue = fields["queue"]?.integer(in: ProviderLimits.queueBounds)
        let rate = fields["rate"]?.integer(in: ProviderLimits.rateBounds)
        return ProviderLimits(maxInFlight: maxInFlight, queue: queue, rate: rate)
    }
}
