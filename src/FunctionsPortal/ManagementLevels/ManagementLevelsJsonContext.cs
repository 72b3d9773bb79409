using System.Text.Json;
using System.Text.Json.Serialization;

namespace FunctionsPortal.ManagementLevels;

/// <summary>The request bodies of this capability's API, as source-generated JSON metadata (see <c>HttpJsonTypes</c>).</summary>
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web)]
[JsonSerializable(typeof(LevelDecision))]
[JsonSerializable(typeof(OccurrenceReport))]
internal sealed partial class ManagementLevelsJsonContext : JsonSerializerContext;
