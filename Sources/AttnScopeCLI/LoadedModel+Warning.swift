import AttnModel
import AttnScope
import Foundation

extension LoadedModel {
    /// Opens `url` as `variant`, printing one warning line when the variant is counterfactual (the
    /// checkpoint was trained as another), so that its results are not taken for a trained model's.
    static func opening(_ url: URL, as variant: VariantRequest) throws -> LoadedModel {
        let loaded = try LoadedModel(url: url, variant: variant)
        if let counterfactual = loaded.model.description.counterfactual {
            ExitStatus.printWarning(
                "\(url.lastPathComponent): \(counterfactual): the results show \(loaded.info.variant)'s computation on these weights, not a trained \(loaded.info.variant) (recorded as model.counterfactual)"
            )
        }
        return loaded
    }
}
