using System.Text.Json;
using System.Text.Json.Serialization;

namespace FunctionsPortal.CorrectiveActions;

/// <summary>The request bodies of this capability's API, as source-generated JSON metadata (see <c>HttpJsonTypes</c>).</summary>
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web)]
[JsonSerializable(typeof(AcceptRiskRequest))]
[JsonSerializable(typeof(RefuseRiskRequest))]
[JsonSerializable(typeof(ReturnRemediationRequest))]
internal sealed partial class CorrectiveActionsJsonContext : JsonSerializerContext;
