using System.Text.Json;
using System.Text.Json.Serialization;

namespace FunctionsPortal.Checklists;

/// <summary>The request bodies of this capability's API, as source-generated JSON metadata (see <c>HttpJsonTypes</c>).</summary>
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web)]
[JsonSerializable(typeof(ChecklistDefinition))]
internal sealed partial class ChecklistsJsonContext : JsonSerializerContext;
