using System.Text.Json;
using System.Text.Json.Serialization;

namespace FunctionsPortal.Incidents;

/// <summary>The request bodies of this capability's API, as source-generated JSON metadata (see <c>HttpJsonTypes</c>).</summary>
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web)]
[JsonSerializable(typeof(CreateIncidentRequest))]
[JsonSerializable(typeof(IncidentActionRequest))]
[JsonSerializable(typeof(IncidentStepRequest))]
internal sealed partial class IncidentsJsonContext : JsonSerializerContext;
