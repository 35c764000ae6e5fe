import semver from "semver";
for (const s of ["^1 ||| nonsense %", "foo bar baz", "has space", "<>!", "1.x.y.z"]) console.log(JSON.stringify(s), semver.validRange(s, {loose:true}));
