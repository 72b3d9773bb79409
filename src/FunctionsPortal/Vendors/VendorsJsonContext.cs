using System.Text.Json;
using System.Text.Json.Serialization;

namespace FunctionsPortal.Vendors;

/// <summary>The request bodies of this capability's API, as source-generated JSON metadata (see <c>HttpJsonTypes</c>).</summary>
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web)]
[JsonSerializable(typeof(PriorApprovalRequest))]
[JsonSerializable(typeof(RiskOverrideRequest))]
[JsonSerializable(typeof(Vendor))]
internal sealed partial class VendorsJsonContext : JsonSerializerContext;
