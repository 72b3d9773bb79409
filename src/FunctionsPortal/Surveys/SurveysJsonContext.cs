using System.Text.Json;
using System.Text.Json.Serialization;

namespace FunctionsPortal.Surveys;

/// <summary>The request bodies of this capability's API, as source-generated JSON metadata (see <c>HttpJsonTypes</c>).</summary>
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web)]
[JsonSerializable(typeof(CampaignRequest))]
[JsonSerializable(typeof(DueDateRequest))]
[JsonSerializable(typeof(ReasonRequest))]
internal sealed partial class SurveysJsonContext : JsonSerializerContext;
