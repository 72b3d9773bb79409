using System.Text.Json;
using System.Text.Json.Serialization;

namespace FunctionsPortal.RegistryProposals;

/// <summary>The request bodies of this capability's API, as source-generated JSON metadata (see <c>HttpJsonTypes</c>).</summary>
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web)]
[JsonSerializable(typeof(ConfirmProposalRequest))]
[JsonSerializable(typeof(DismissProposalRequest))]
internal sealed partial class RegistryProposalsJsonContext : JsonSerializerContext;
