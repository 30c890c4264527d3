// The AWS SDK for JavaScript v3 against `pytest-connectviews serve`: a client no one here wrote,
// driving views, flows, instances and an image build, with state, faults and the clock set through
// the control API. Prints TAP ("ok N - ..."); exits 1 on the first failed check.
//
// Usage: npm install && URL=http://127.0.0.1:PORT node check.mjs
// (test_js_sdk.py runs it against the pytest fixture `connectviews_server` when node_modules exists.)
import assert from "node:assert/strict";
import * as C from "@aws-sdk/client-connect";
import * as IB from "@aws-sdk/client-imagebuilder";

const url = process.env.URL;
if (!url) { console.error("set URL to the server, e.g. http://127.0.0.1:40123"); process.exit(2); }
const ctl = async (method, path, body) => {
  const r = await fetch(`${url}/_connectviews/${path}`, {
    method, headers: { "content-type": "application/json" },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const j = await r.json();
  if (r.status >= 300) throw new Error(`${method} ${path}: ${r.status} ${JSON.stringify(j)}`);
  return j;
};
const cfg = { region: "us-east-1", endpoint: url, credentials: { accessKeyId: "AKID", secretAccessKey: "s" }, maxAttempts: 1 };
const connect = new C.ConnectClient(cfg);
const ib = new IB.ImagebuilderClient(cfg);
let n = 0;
const ok = (what) => { n++; console.log(`ok ${n} - ${what}`); };

process.on("uncaughtException", (e) => { console.log(`not ok ${n + 1} - ${e.name}: ${e.message}`); process.exit(1); });
process.on("unhandledRejection", (e) => { console.log(`not ok ${n + 1} - ${e?.name}: ${e?.message}`); process.exit(1); });

await ctl("POST", "reset");
const { instance_id } = await ctl("POST", "instances", { alias: "js-desk" });
const inst = await connect.send(new C.ListInstancesCommand({}));
assert.equal(inst.InstanceSummaryList[0].InstanceAlias, "js-desk"); ok("seeded instance listed with alias");

const content = { Template: JSON.stringify({ Head: {}, Body: [] }), Actions: ["Submit"] };
const made = await connect.send(new C.CreateViewCommand({ InstanceId: instance_id, Name: "js view", Status: "PUBLISHED", Content: content, Tags: { team: "js" } }));
assert.equal(made.View.Version, undefined); assert.ok(made.View.Arn.endsWith(":$LATEST")); assert.ok(made.View.CreatedTime instanceof Date); ok("CreateView");
const d = await connect.send(new C.DescribeViewCommand({ InstanceId: instance_id, ViewId: made.View.Id }));
assert.deepEqual(d.View.Content.Actions, ["Submit"]); assert.equal(d.View.Tags.team, "js"); ok("DescribeView");
for (let i = 0; i < 5; i++) await connect.send(new C.CreateViewCommand({ InstanceId: instance_id, Name: `v${i}`, Status: "SAVED", Content: content }));
const names = [];
for await (const page of C.paginateListViews({ client: connect, pageSize: 2 }, { InstanceId: instance_id, Type: "CUSTOMER_MANAGED" })) names.push(...page.ViewsSummaryList.map((v) => v.Name));
assert.equal(names.length, 6); ok("paginateListViews pages of 2");
try { await connect.send(new C.DescribeViewCommand({ InstanceId: instance_id, ViewId: "nope" })); assert.fail("no error"); }
catch (e) { assert.equal(e.name, "ResourceNotFoundException"); assert.equal(e.$metadata.httpStatusCode, 404); ok("modeled error with its status"); }

// faults and calls through the control API
await ctl("POST", "errors", { operation: "ListViews", code: "ThrottlingException", times: 1 });
try { await connect.send(new C.ListViewsCommand({ InstanceId: instance_id })); assert.fail("no error"); }
catch (e) { assert.equal(e.name, "ThrottlingException"); assert.equal(e.$metadata.httpStatusCode, 429); ok("injected error"); }
const retrying = new C.ConnectClient({ ...cfg, maxAttempts: 3 });
await ctl("POST", "errors", { operation: "ListViews", code: "ThrottlingException", times: 1 });
const after = await retrying.send(new C.ListViewsCommand({ InstanceId: instance_id }));
assert.equal(after.$metadata.attempts, 2); ok("SDK retries an injected throttle");
const calls = await ctl("GET", "calls?operation=ListViews");
assert.ok(calls.calls.length >= 3); assert.equal(calls.calls.at(-1).error_code, null); ok("recorded calls");

// contact flow with a ShowView reference
const flow = await connect.send(new C.CreateContactFlowCommand({ InstanceId: instance_id, Name: "js flow", Type: "CONTACT_FLOW",
  Content: JSON.stringify({ Version: "2019-10-30", StartAction: "d", Actions: [{ Identifier: "d", Type: "DisconnectParticipant", Parameters: {}, Transitions: {} }] }) }));
assert.ok(flow.ContactFlowArn.includes(instance_id)); ok("CreateContactFlow");

// image builder: a build on the fake clock
await ctl("PUT", "durations/imagebuilder.pending", { seconds: 1 });
const comp = await ib.send(new IB.CreateComponentCommand({ name: "hello", semanticVersion: "1.0.0", platform: "Linux", clientToken: "c1",
  data: "name: hello\nschemaVersion: 1.0\nphases:\n  - name: build\n    steps:\n      - name: Echo\n        action: ExecuteBash\n        inputs:\n          commands: [echo hi]\n" }));
const recipe = await ib.send(new IB.CreateImageRecipeCommand({ name: "js-recipe", semanticVersion: "1.0.0", clientToken: "r1",
  parentImage: "arn:aws:imagebuilder:us-east-1:aws:image/amazon-linux-2023-x86/x.x.x", components: [{ componentArn: comp.componentBuildVersionArn }] }));
const infra = await ib.send(new IB.CreateInfrastructureConfigurationCommand({ name: "js-infra", instanceProfileName: "p", clientToken: "i1" }));
const img = await ib.send(new IB.CreateImageCommand({ imageRecipeArn: recipe.imageRecipeArn, infrastructureConfigurationArn: infra.infrastructureConfigurationArn, clientToken: "img1" }));
let g = await ib.send(new IB.GetImageCommand({ imageBuildVersionArn: img.imageBuildVersionArn }));
assert.equal(g.image.state.status, "PENDING"); ok("CreateImage PENDING");
const settled = await ctl("POST", "settle");
assert.ok(settled.advanced > 0);
g = await ib.send(new IB.GetImageCommand({ imageBuildVersionArn: img.imageBuildVersionArn }));
assert.equal(g.image.state.status, "AVAILABLE"); assert.ok(g.image.outputResources.amis[0].image.startsWith("ami-")); ok("settled to AVAILABLE");
const ex = await ib.send(new IB.ListWorkflowExecutionsCommand({ imageBuildVersionArn: img.imageBuildVersionArn }));
assert.deepEqual(ex.workflowExecutions.map((w) => [w.type, w.status]), [["BUILD", "COMPLETED"], ["TEST", "COMPLETED"]]); ok("ListWorkflowExecutions");
try { await ib.send(new IB.DeleteComponentCommand({ componentBuildVersionArn: comp.componentBuildVersionArn })); assert.fail("no error"); }
catch (e) { assert.equal(e.name, "ResourceDependencyException"); ok("a recipe blocks deleting its component"); }
await ib.send(new IB.DeleteImageRecipeCommand({ imageRecipeArn: recipe.imageRecipeArn }));
await ib.send(new IB.DeleteComponentCommand({ componentBuildVersionArn: comp.componentBuildVersionArn }));
ok("teardown in dependency order");
try { await ib.send(new IB.GetWorkflowCommand({ workflowBuildVersionArn: "arn:aws:imagebuilder:us-east-1:123456789012:workflow/build/none/1.0.0/1" })); assert.fail("no error"); }
catch (e) { assert.equal(e.name, "ResourceNotFoundException"); ok("Image Builder modeled error"); }
console.log(`1..${n}`);
