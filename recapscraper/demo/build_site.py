"""Build the offline demo sites under recapscraper/demo/www/ (one folder per host).

    python -m recapscraper.demo.build_site [OUT_DIR] [--manifest FILE]

The output is committed; rerun this only after editing the content below. Three invented
sites on reserved .example domains, all text original and fictional (invented shows,
people and episodes; real platform and network names only):

* tvrecapdaily.example - WordPress/Yoast look: JSON-LD @graph, og/article meta, sitemap
  index, robots.txt, paginated category listing.
* couchnotes.example - personal blog: RSS feed, text bylines, no JSON-LD, one page in
  windows-1252.
* screenweekly.example - magazine: microdata + og only, <time datetime>, paginated
  /tv/recaps/ section, boilerplate nav/sidebars naming other episodes, one syndicated
  copy (rel=canonical to tvrecapdaily) and one near-copy without rel=canonical.
"""
# ruff: noqa: E501  (HTML templates)
from __future__ import annotations

import copy
import html
import json
import re
import shutil
import sys
import zlib
from datetime import datetime, timezone
from email.utils import format_datetime
from pathlib import Path

OUT = Path(__file__).with_name("www")

# ---------------------------------------------------------------------------
# Content: TV Recap Daily
# ---------------------------------------------------------------------------
TRD = [
    dict(
        key="T1", path="/2025/01/brass-and-bone-season-2-premiere-recap/",
        headline="Brass & Bone Season 2 Premiere Recap: Episodes 1 & 2",
        show="Brass & Bone", season=2, episodes=[1, 2], kind="recap", premiere=True,
        author="Jordan Pell", published="2025-01-15T08:30:00-05:00",
        modified="2025-01-15T11:02:00-05:00", category="recaps", schema="Article",
        caption="Agnes Kowalczyk at the relighting of Furnace No. 3.", credit="FX",
        excerpt="Braddock Falls is cleaner and meaner in a two-episode return.",
        body="""
This recap contains spoilers for the Season 2 premiere of Brass & Bone, which aired Tuesday
night on FX with two back-to-back episodes and is streaming now on Hulu.

Eighteen months after the mill fire that closed out Season 1, Braddock Falls looks cleaner
and meaner. The company has rebuilt Furnace No. 3 with fresh money from a Philadelphia bank,
Teddy Marchetti has moved his liquor operation out of the funeral parlor and into a
respectable-looking soda bottling plant, and Detective Agnes Kowalczyk has been quietly
exiled to the records room for the sin of telling the truth in front of a grand jury. The
premiere spends a lot of its first hour reminding us what everyone lost, and mostly earns
the time.

## Episode 1: “The Furnace”

The opener is built around the relighting ceremony for the new furnace. Agnes is ordered to
stand on the platform in a borrowed hat as proof that the department has moved on. She has
not. While the mayor gives his speech she notices that the ceremonial ladle carries the stamp
of a foundry that went bankrupt in 1921, the same foundry whose ledgers vanished from her
records room a week earlier. It is a small, almost silly clue, but the show plays it with
total seriousness, and Agnes slipping the ladle into her coat while the crowd cheers is the
best image of the night.

Walt Greer, meanwhile, is back from Chicago with a new wife, a new suit and a new speech about
patience. The union hall does not buy a word of it. The hour ends with someone leaving a dead
canary on Walt’s doorstep, the old mining warning turned into a threat.

## Episode 2: “Company Town”

The second hour is tighter. Teddy’s delivery trucks are being stopped at a checkpoint that
appears on no police map, and the men working it wear company armbands instead of badges.
Agnes follows the missing ledgers to a boarding house run by Mrs. Halloran, who remembers the
foundry’s bookkeeper as “a man who counted in his sleep.” He has been living in her attic
under another name, until tonight, when Agnes finds the attic empty and the window open to
the snow.

The final scene brings both hours together: Teddy and Agnes, who spent last season trying to
put each other in prison, standing over the bookkeeper’s abandoned trunk and agreeing, without
saying it, that they now share an enemy. It is a confident, slightly slow return, and the
partnership it sets up is worth the wait.

Episode 3 airs next Tuesday at 10 p.m. on FX and streams the following day on Hulu.
""",
    ),
    dict(
        key="T2", path="/2025/02/the-lanternkeepers-season-2-episode-3-recap/",
        headline="The Lanternkeepers Season 2 Episode 3 Recap: Salt in the Lens",
        show="The Lanternkeepers", season=2, episodes=[3], kind="recap",
        author="Marisol Reyes", published="2025-02-14T07:00:00-05:00",
        modified="2025-02-14T07:00:00-05:00", category="recaps", schema="Article",
        caption="Junie on the lantern gallery at Gullhaven.", credit="Apple TV+",
        excerpt="A Coast Guard inspection puts the Gullhaven light, and the Mercers, on trial.",
        body="""
This recap contains spoilers for Season 2, Episode 3 of The Lanternkeepers, now streaming on
Apple TV+. New episodes of the season drop every Friday.

The Mercers have never been good at saying what they mean, and “Salt in the Lens” is an entire
episode about things left unsaid. It opens on the Gullhaven light itself, dark for the first
time since Ruth took over the station from her father. The January storm has left a crust of
salt across the old Fresnel lens, and the Coast Guard inspector who comes out on the morning
ferry, a tidy young man named Pruitt with a clipboard and a cold, has an opinion: the light
should be decommissioned for good and replaced with a solar beacon on a pole.

Ruth will not hear of it. Eli, who has spent two episodes trying to talk his mother into
selling the inn to the developer Simone Achterberg, treats the inspection like a gift. Thomas
treats it like a betrayal, partly because he suspects, correctly as it turns out, that Eli
was the one who called the Coast Guard in the first place.

The best material belongs to Junie. For a week she has been climbing the tower after midnight
to clean the lens with a toothbrush and a jar of vinegar, prism by prism, trying to keep the
light alive on her own. Cal Dufresne, the harbor master, catches her on the gallery at two in
the morning, and instead of sending her to bed he picks up a rag. Their conversation about her
mother, and about whether anything on the island ever actually gets fixed, is the quietest and
strongest scene the show has done this season.

Pruitt’s report arrives at the end of the hour. Ruth reads it alone at the kitchen table and
then feeds it, page by page, into the woodstove. It is a satisfying gesture for about four
seconds, until the final shot shows a second copy of the report sitting in Simone’s mailbox
on the mainland.

Episode 4 arrives Friday, February 21.
""",
    ),
    dict(
        key="T3", path="/2025/02/the-lanternkeepers-season-2-episode-4-recap/",
        headline="The Lanternkeepers Season 2 Episode 4 Recap: The Fog Bell",
        show="The Lanternkeepers", season=2, episodes=[4], kind="recap",
        author="Marisol Reyes", published="2025-02-21T06:30:00-05:00",
        modified="2025-02-21T09:15:00-05:00", category="recaps", schema="Article",
        caption="Thomas Mercer at the jetty bell.", credit="Apple TV+",
        excerpt="Three days of fog, a missing boat and a letter Eli should not have signed.",
        body="""
This recap contains spoilers for Season 2, Episode 4 of The Lanternkeepers, now streaming on
Apple TV+.

The fog bell at the end of the Gullhaven jetty has not rung since 1987, the year Ruth’s father
replaced it with an electric horn that nobody on the island has ever liked. In “The Fog Bell,”
it rings three times, and every time it does, something in the Mercer family breaks.

The fog rolls in during the cold open and does not lift for three days. Simone Achterberg’s
survey crew is stranded at the inn, which means Ruth has to feed and house the people who are
measuring her home for demolition. Director Hanne Ostrowski shoots the whole episode in grey,
and the effect is claustrophobic in the best way: every conversation happens in a hallway, on
a staircase, in a kitchen with the windows gone white.

The first ring comes when Cal’s nephew Danny Dufresne fails to bring his lobster boat in
before dark. The electric horn has failed, because of course it has, and Thomas walks out to
the jetty and starts ringing the old bell by hand. He rings it for five hours. Junie finds the
pattern her great-grandfather used in a water-stained logbook and runs it out to him, two
short and one long, and near dawn the boat finally noses out of the fog, guided by the sound.

The second ring is quieter. While everyone is down at the jetty, Ruth finds a letter of intent
in Simone’s briefcase, and Eli’s signature is on it. He has not sold the inn, because he
cannot, but he has promised to “support a sale” in exchange for a job with her firm. The scene
where Ruth reads it, standing in the doorway of the survey crew’s room with a tray of coffee
in her other hand, is Celia Marsh’s best work of the series.

The third ring is the one the episode has been building toward. Ruth tells Eli to be on the
next ferry, and when he asks how long, she does not answer. Thomas rings the bell once as the
ferry pulls out, and nobody on the island can agree afterward whether it was a goodbye or an
accusation.

Next week’s episode arrives Friday, February 28.
""",
    ),
    dict(
        key="T4", path="/2025/03/station-9-season-3-episode-7-recap/",
        headline="Station 9 Season 3 Episode 7 Recap: Smoke Showing",
        show="Station 9", season=3, episodes=[7], kind="recap",
        author="Jordan Pell", published="2025-03-06T09:00:00-05:00",
        modified="2025-03-06T09:00:00-05:00", category="recaps", schema="NewsArticle",
        tags=["station-9"],
        caption="Lt. Ray Brannigan outside the Flats warehouse.", credit="NBC",
        excerpt="A warehouse fire in the Flats puts Brannigan’s judgment on trial.",
        body="""
This recap contains spoilers for Station 9 Season 3, Episode 7, “Smoke Showing,” which aired
Wednesday at 9/8c on NBC. The episode streams the next day on Peacock. Catch up with
[our Episode 6 recap](/2025/03/station-9-season-3-episode-6-recap/) if you missed last week.

Station 9 is at its best when a single call refuses to stay a single call, and “Smoke Showing”
is built around one of those: a three-alarm fire in a half-empty furniture warehouse in the
Flats, which starts before the opening credits and is still smoldering in the last scene.

Lt. Ray Brannigan is first in, and he makes the call that the rest of the hour argues about.
A security guard swears there is a night worker on the mezzanine, so Brannigan sends probie
Danny Kwiatkowski up the interior stairs with Sofia Ruiz’s old partner, Mack, while the roof
is already sagging. There is nobody on the mezzanine. There is, however, a section of floor
that gives way under Danny, and for six very long minutes he is pinned between two collapsed
shelving units with his air running low.

The rescue is the best action sequence the show has staged since the Season 2 train
derailment, in large part because it is so quiet. Captain Lena Okafor works the radio from
outside while Brannigan cuts through the shelving, and the camera mostly stays on Danny’s face
mask fogging up.

The B-plot is a welcome change of pace. Sofia and her new partner answer their fourth call
this month from Mr. Albescu, an elderly widower who keeps dialing 911 because, as it turns
out, nobody else picks up when he calls. Sofia ends her shift sitting at his kitchen table
playing cards, and Station 9 lets that scene breathe without a punchline.

Battalion Chief Harlan Pryce convenes an informal inquiry in the final act, and it becomes
clear that he wants Brannigan gone. Lena defends him in the room and then, in the parking
lot, tells him she would not have sent Danny up. Brannigan does not argue. He takes off his
helmet, hands it to her and walks home in the rain.

It is an unusually somber hour for a show that normally ends on a joke at the firehouse
kitchen table, and it is better for it.
""",
    ),
    dict(
        key="T5", path="/2025/04/ashfall-the-long-winter-season-1-finale-recap/",
        headline="Ashfall: The Long Winter Season 1 Finale Recap: Thaw",
        seo_title="Ashfall Season 1 Finale Recap: ‘Thaw’ Brings the Sun Back to Harrow",
        show="Ashfall: The Long Winter", season=1, episodes=[6], kind="recap", finale=True,
        author="Keith Anand", published="2025-04-13T23:40:00-04:00",
        modified="2025-04-14T10:12:00-04:00", category="recaps", schema="Article",
        caption="Renée Vasquez-Hale on the ridge above Harrow.", credit="HBO",
        excerpt="The sun comes back to Harrow, and the town has to decide whether to stay.",
        body="""
This recap contains spoilers for the Season 1 finale of Ashfall: The Long Winter, Episode 6,
“Thaw,” which aired Sunday on HBO and is streaming on Max.

For five episodes, Ashfall has asked what people owe each other when the sky goes dark, and
its finale answers with a surprisingly gentle thing: a sunrise. It has been 311 days since
the eruption under the Absaroka range buried Harrow, Montana, in ash, and the cold open is
simply the town standing in the street, watching a thin yellow line appear over the ridge.
Nobody speaks. The score drops out. It is the most moving minute of television HBO has aired
this year.

Then the show gets back to business. Colonel Dray’s convoy, which arrived from Billings last
week with fuel, antibiotics and a very firm deadline, is leaving at noon, and everyone who
wants a seat has to be on the trucks. Renée Vasquez-Hale, the geologist who has spent the
season reading the mountain like a patient’s chart, believes the sunlight is a false spring:
her seismograph shows a second, smaller eruption coming within weeks. Dray thinks she is
trying to frighten people into staying. Sheriff Amos Trell cannot decide which of them scares
him more.

The town meeting in the high school gym is the finale’s centerpiece, and writer Bess Okonjo
gives everyone a speech without letting any of them win the argument. The vote splits almost
exactly in half. Renée’s brother Owen, who has been quietly siphoning fuel from the convoy all
season, finally confesses in front of the whole gym, and the reveal that he was hoarding it
for the school’s furnace, not for himself, turns the room.

The convoy leaves with about two hundred people. Renée stays, so does Owen, so does Trell,
and so, to the shock of absolutely nobody, does Pip Lasko, the teenage radio operator who has
been the show’s conscience since the pilot.

The final scene belongs to Pip. Alone in the radio shack, she catches a faint voice from the
coast asking whether anyone is still in Harrow. She answers. The camera pans down to the
window box outside, where a single green shoot has come up through the ash.

Ashfall has already been renewed for a second season. Expect it sometime in 2026.
""",
    ),
    dict(
        key="T6", path="/2025/04/paper-moons-season-2-episode-5-recap/",
        headline="Paper Moons Season 2 Episode 5 Recap: Ledger",
        show="Paper Moons", season=2, episodes=[5], kind="recap+review",
        author="Keith Anand", published="2025-04-28T07:45:00-04:00",
        modified="2025-04-28T07:45:00-04:00", category="recaps", schema="Article",
        caption="Margo Brandt in the gallery storeroom.", credit="AMC",
        excerpt="Agent Pike subpoenas the gallery, and Margo has to decide what the ledger is worth.",
        body="""
This recap contains spoilers for Paper Moons Season 2, Episode 5, “Ledger,” which aired
Sunday night on AMC.

Every forgery Walter Brandt has ever sold is written down somewhere, and that somewhere is a
green clothbound ledger that his daughter Margo has kept since she was fifteen. The book has
been sitting in the background of Paper Moons since the first season: a prop, a joke about
Margo’s tidy handwriting, a thing the camera lingered on when nobody else did. “Ledger” finally
puts it at the center of the story, and the result is the best episode of the season.

The inciting event is simple. FBI agent Lucille Pike, who spent the first four episodes
circling the Fairweather Gallery in Santa Fe, gets a judge to sign a subpoena for its sales
records going back to 1969. Desmond Fairweather panics in the most Desmond way possible, by
throwing a party. Walter retreats to his studio and starts, of all things, a new painting.

That leaves Margo holding the book. Her options are laid out with real clarity: burn it and
protect her father, hand it to Pike and protect herself, or keep it and hope nobody asks. The
script, by Dolores Tran, lets her try all three. She gets as far as the incinerator behind the
motel before she stops. She gets as far as Pike’s rental car. In the end she hides the ledger
inside the hollow base of a bronze sculpture in the gallery storeroom, a sculpture her father
forged in 1971, which is both a clever hiding place and a lovely bit of irony.

Walter’s painting, meanwhile, turns out to be a forgery of one of his own forgeries, a fake
Georgia-style landscape that he is repainting from memory so he can swap it for the version
Pike has already photographed. It is a ridiculous plan, and the show knows it.

The review part is short: this is the first episode of Season 2 that trusts its actors to
carry long scenes without a twist every ten minutes, and Noor Haddad’s performance as Margo
is finally getting the material it deserves. A few of the party scenes drag. The last shot,
Pike running her hand along the base of the bronze, is perfect.
""",
    ),
    dict(
        key="T7", path="/2025/05/crown-of-embers-episodes-7-and-8-recap/",
        headline="Crown of Embers Episodes 7 and 8 Recap: A Vow in Ash",
        show="Crown of Embers", season=None, episodes=[7, 8], kind="recap",
        author="Marisol Reyes", published="2025-05-12T10:00:00-04:00",
        modified="2025-05-12T10:00:00-04:00", category="recaps", schema="Article",
        caption="Princess Seo-yeon and Captain Kang Do-hyun at the burned temple.",
        credit="tvN",
        excerpt="A royal hunt goes wrong, and Seo-yeon watches an ember start to fade.",
        body="""
This recap contains spoilers for Crown of Embers Episodes 7 and 8, which aired Saturday and
Sunday on tvN and are streaming with English subtitles on Viki.

The central conceit of Crown of Embers, for anyone joining late, is that Princess Seo-yeon
can see a small ember floating above every person’s head, brighter or dimmer according to how
much life they have left. It is a gift she has hidden since childhood, and it has made her the
loneliest person in the palace. This weekend’s two episodes finally force her to use it in
front of someone else.

## Episode 7

The royal autumn hunt is supposed to be a show of unity between the king’s faction and the
Queen Dowager Min’s family. It lasts about twenty minutes before an arrow meant for Prince
Yi Hwan hits Captain Kang Do-hyun instead. The wound is not dramatic, just a graze across the
ribs, but Seo-yeon looks up and sees his ember flicker and shrink. The arrowhead was poisoned.

The rest of the episode is a race through the palace archives for an antidote, and the
drama is smart enough to let Seo-yeon solve it with her gift rather than a convenient
physician: she tests each remedy by watching the ember of a poisoned hunting dog. It is grim
and clever, and Lee Ha-rin plays the scene with real steel.

## Episode 8

Episode 8 slows down, which is what this story needed. Do-hyun survives, barely, and spends
most of the hour recovering in a mountain temple that burned during the war. The conversation
where Seo-yeon finally tells him what she can see is beautifully staged in the ruined hall,
with actual snow falling through the roof.

He does not believe her until she describes the exact moment his ember brightened again, the
moment she took his hand. They exchange vows there, with nobody as witness but an old monk
who pretends to be deaf.

The cliffhanger undoes all that warmth in ten seconds. Back at the palace, the Queen Dowager
greets Seo-yeon at the gate, and for the first time in the series the princess looks up at
someone and sees no ember at all, just a small black coal.
""",
    ),
    dict(
        key="T8", path="/2025/06/the-quiet-orbit-season-1-episode-2-recap/",
        headline="The Quiet Orbit Season 1 Episode 2 Recap: Dead Reckoning",
        show="The Quiet Orbit", season=1, episodes=[2], kind="recap",
        author="Jordan Pell", published="2025-06-05T08:00:00-04:00",
        modified="2025-06-05T08:00:00-04:00", category="recaps", schema="Article",
        caption="Commander Iris Vantongeren on Meridian’s observation deck.",
        credit="Prime Video",
        excerpt="Meridian loses contact with Earth, and the crew starts doing math by hand.",
        body="""
This recap contains spoilers for The Quiet Orbit Season 1, Episode 2, “Dead Reckoning,” now
streaming on Prime Video. New episodes arrive every Wednesday.

The premiere ended with Meridian, a six-person research station orbiting Europa, losing its
link to Earth in the middle of a routine transmission. Episode 2 picks up eleven hours later,
and nobody has slept. Commander Iris Vantongeren has ordered the crew to treat the silence as
a hardware fault until proven otherwise, which is the kind of sensible decision that, on a
show like this, usually means it is something much worse.

The title refers to the old sailor’s method of navigating without landmarks, and that is
exactly what the crew has to do. The station’s AI, HOLLIS, says its orbit is stable. Engineer
Bashir Nadeem does not trust HOLLIS’s numbers, so he sits down with a notebook, a stopwatch and
the station’s last confirmed position and starts working out their orbit the way somebody
would have in 1965. The sequence where he and Iris check each other’s arithmetic, out loud,
over a failing coffee machine, is somehow the most tense scene in the episode.

Their numbers disagree with HOLLIS by a little under two percent. That is enough, Bashir
explains, to put Meridian into Europa’s ice in about nineteen days.

Meanwhile, biologist Hana Osei has been studying an ice core drilled in the premiere, and
something in the meltwater is moving. She does not tell anyone yet, partly because she is not
sure what she saw and partly because Iris has enough on her plate. The show is patient with
this thread, and the single shot of a microscope slide it gives us is eerie enough to carry
the whole subplot.

The final scene is a small masterpiece of dread. Iris asks HOLLIS for a full systems report.
HOLLIS answers, in its calm, friendly voice, that all systems are nominal. Behind Iris, on the
fuel panel, a single red light begins to blink.

Episode 3 arrives next Wednesday on Prime Video.
""",
    ),
    dict(
        key="T9", path="/2025/08/hollow-creek-ending-explained/",
        headline="Hollow Creek Ending Explained: What Really Happened on Dry Creek Road",
        show="Hollow Creek", season=None, episodes=[8], kind="ending-explained", finale=True,
        author="Keith Anand", published="2025-08-15T09:30:00-04:00",
        modified="2025-08-16T13:20:00-04:00", category="recaps", schema="Article",
        caption="Deputy Nora Quill at the dry creek bed.", credit="Paramount+",
        excerpt="Who was in the car, who hid it, and what the postcard means.",
        body="""
Spoilers ahead for the eighth and final episode of Hollow Creek, “Dry Creek Road,” now
streaming on Paramount+.

Hollow Creek spent seven episodes teaching viewers to expect the worst about Callie Ames, the
sixteen-year-old who vanished from a West Virginia mining town in 2003. The finale turns that
expectation inside out, and it does it so quickly that a lot of viewers came away unsure what
they had just watched. Here is what happened, and why it matters.

## Who was in the car?

The drought that opened the series exposed a rusted sedan in the bed of Hollow Creek, and
the bones inside it have hung over the whole season. The finale confirms they belong to Royce
Ames, Callie’s stepfather, not to Callie. Royce died the night she disappeared, when he chased
her down Dry Creek Road and lost control on the bridge.

## Who hid it?

Sheriff Glenn Quill, Nora’s father, found the wreck that night. He also found Callie, alive,
on the far bank. Knowing what Royce had done to her, and knowing how the town would treat a
girl who had run from a respected man, he let her go. He drove her to the bus station in
Beckley himself, then came back and pushed the car into the deepest part of the creek.
Pastor Abel Strickland, who saw the headlights from the church, has kept the secret for
twenty-two years.

## Why does Nora reopen the file?

Nora’s last choice is the real ending. She could bury the truth a second time and protect her
father’s name. Instead she files the report as it happened, including Glenn’s part in it,
because the town has spent two decades blaming Callie’s mother for her disappearance. The show
frames this not as a betrayal of her father but as the first honest thing anyone in Hollow
Creek has done since 2003.

## What does the postcard mean?

The final shot, a postcard from Astoria, Oregon, signed only with a “C,” tells us Callie is
alive and knows the truth is out. Creator Imani Castellanos has said the series is complete,
so do not expect a second season to tell us more.
""",
    ),
    dict(
        key="T10", path="/2025/05/the-lanternkeepers-season-3-release-date-where-to-watch/",
        headline="The Lanternkeepers Season 3: Release Date, Cast and Where to Watch",
        show="The Lanternkeepers", season=3, episodes=[], kind="other",
        lookalike="release-date / where-to-watch guide",
        author="Marisol Reyes", published="2025-05-30T12:00:00-04:00",
        modified="2025-06-02T08:40:00-04:00", category="news", schema="Article",
        caption="Gullhaven light at dusk.", credit="Apple TV+",
        excerpt="Everything we know about the return of the Mercers.",
        body="""
Good news for anyone still recovering from the Season 2 finale: Apple TV+ has confirmed that
The Lanternkeepers will return for a third season this fall. Here is everything we know so
far about when it arrives, who is coming back and where you can watch.

## When does The Lanternkeepers Season 3 come out?

Season 3 premieres Friday, October 3, 2025, with its first two episodes. After that, new
episodes will arrive weekly every Friday, running through the finale on November 14. Like the
first two seasons, the new run will have eight episodes.

## Who is in the cast?

Celia Marsh returns as Ruth Mercer, alongside Aaron Bly as Thomas and Wren Sato as Junie.
Dominic Feld is back as Eli, which will surprise anyone who watched him sail away from
Gullhaven on the ferry, and Apple has confirmed that Simone Achterberg’s firm will be back in
some form. Newcomer Lou Castellane joins as a marine archaeologist who comes to the island to
survey a wreck discovered after the winter storms.

## Where can I watch The Lanternkeepers?

The Lanternkeepers is an Apple TV+ original and streams exclusively on Apple TV+. Seasons 1 and
2 are available to stream now, and new subscribers can still get a free trial with the
purchase of an eligible device.

## Is there a trailer?

Not yet. Apple typically releases a full trailer about a month before a premiere, so expect
one in early September. We will update this post when it drops.

## What happened at the end of Season 2?

Without spoiling too much for latecomers, the Season 2 finale, Episode 8 (“High Water”), left
the inn’s future in doubt and the family split across the water. You can catch up on our
recaps of the season in our recaps section.
""",
    ),
    dict(
        key="T11", path="/2025/03/brass-and-bone-season-2-review/",
        headline="Brass & Bone Season 2 Review: A Grittier, Sadder Company Town",
        show="Brass & Bone", season=2, episodes=[], kind="review",
        lookalike="whole-season review",
        author="Keith Anand", published="2025-03-04T10:00:00-05:00",
        modified="2025-03-04T10:00:00-05:00", category="news", schema="Article",
        caption="Teddy Marchetti’s bottling plant.", credit="FX",
        excerpt="FX’s steel-town noir finishes a darker, better second season.",
        body="""
The second season of Brass & Bone wrapped last week on FX, and with all eight episodes now
streaming on Hulu, it is worth looking back at what the show did differently this time. The
short answer: it got smaller, sadder and much better.

Season 1 was a crime story about a fire. Season 2 is a story about a town that decided to
forget the fire, and about the three people who will not let it. The bones of the plot are
familiar, with missing ledgers, a corrupt bank and a union on the edge of a strike, but the
writers have stopped treating Braddock Falls as a backdrop. The boarding houses, the soda
plant, the company store and the union hall all feel lived in, and the supporting cast has
grown into a real ensemble.

Holly Varga remains the reason to watch. Her Agnes Kowalczyk is stubborn and funny and very
tired, and the season’s decision to pair her with Teddy Marchetti, her old enemy, pays off in
a dozen small scenes where the two of them do not have to explain themselves. Nico Albright’s
Teddy has softened without becoming harmless, which is a hard trick.

The weak link is Walt Greer. The show clearly wanted his storyline, a labor leader who may or
may not have sold out, to be its moral center, but the scripts never decide what they think
of him, and his final scene lands with a shrug.

The pacing is uneven, too. The middle of the season drifts, and at least one subplot, about a
traveling evangelist, feels like it was imported from a different show. But when Brass &
Bone is focused, it is as good as anything on television right now, and the last forty
minutes of the season are close to perfect.

Grade: B+. All eight episodes of Season 2 are streaming on Hulu.
""",
    ),
    dict(
        key="T12", path="/2025/09/station-9-season-4-premiere-preview/",
        headline="Station 9 Season 4 Premiere Preview: Everything We Know About Episode 1",
        show="Station 9", season=4, episodes=[1], kind="preview",
        lookalike="preview of an upcoming episode",
        author="Jordan Pell", published="2025-09-17T14:00:00-04:00",
        modified="2025-09-17T14:00:00-04:00", category="news", schema="NewsArticle",
        tags=["station-9"],
        caption="Captain Lena Okafor.", credit="NBC",
        excerpt="Brannigan is back, there is a new probie and the premiere is called “Rekindle.”",
        body="""
Station 9 returns next week, and NBC has released the first batch of photos, a synopsis and
a title for the Season 4 premiere. Here is what to expect before the bells go off again.

## When does Station 9 Season 4 premiere?

The Season 4 premiere, titled “Rekindle,” airs Wednesday, September 24, 2025, at 9/8c on NBC.
As usual, it will be available to stream the next day on Peacock.

## What is the premiere about?

According to NBC’s synopsis, the episode picks up four months after the Season 3 finale, with
Lt. Ray Brannigan returning from his leave to find that the firehouse has moved on without
him. A high-rise fire in downtown Cleveland forces him and Captain Lena Okafor to work
together before they have had a chance to talk about what happened.

The promo that aired during the summer also shows Sofia Ruiz in a new role, possibly as a
training officer, and a brief shot of Battalion Chief Harlan Pryce cleaning out his office,
which suggests his arc from last season is not over.

## Who is new?

Tom Aldana, best known as the union enforcer on Brass & Bone, joins the cast as a transfer
from a busy station on the east side. He is described as “the best firefighter any of them
have worked with, and the last person anyone wants at the kitchen table.”

## How many episodes will there be?

NBC has ordered 18 episodes for Season 4, with the usual winter break after the fall finale.

We will have a full recap of the premiere the morning after it airs.
""",
    ),
    dict(
        key="T13", path="/2025/10/best-station-9-episodes-ranked/",
        headline="The 10 Best Station 9 Episodes, Ranked",
        show="Station 9", season=None, episodes=[], kind="other",
        lookalike="'best episodes' listicle",
        author="Jordan Pell", published="2025-10-08T11:00:00-04:00",
        modified="2025-10-08T11:00:00-04:00", category="news", schema="Article",
        tags=["station-9"],
        caption="The Station 9 crew.", credit="NBC",
        excerpt="From the train derailment to the Flats warehouse fire.",
        body="""
With Station 9 off to a strong start in its fourth season, we went back through the archive to
pick the ten episodes that best show what the series does well: big fires, small kindnesses
and a firehouse kitchen full of people who cannot stop talking.

## 10. Season 1, Episode 4: “First Due”

The episode that introduced Sofia Ruiz as more than a sidekick, thanks to a long, tense
ambulance ride with a patient who refuses to give his name.

## 9. Season 2, Episode 12: “Ladder Logic”

A comedy episode about a broken ladder truck that somehow turns into a meditation on what it
means to rely on people.

## 8. Season 1, Episode 10: “Black Ice”

A twelve-car pileup on the Shoreway, shot almost entirely from inside one minivan.

## 7. Season 3, Episode 14: “Pryce”

Battalion Chief Harlan Pryce finally gets a backstory, and it is sadder than anyone expected.

## 6. Season 2, Episode 1: “Probation”

The premiere that introduced Danny Kwiatkowski and immediately trapped him in an elevator.

## 5. Season 3, Episode 7: “Smoke Showing”

The Flats warehouse fire, Danny pinned on the mezzanine and Brannigan handing over his helmet
in the rain.

## 4. Season 2, Episode 8: “Derailment”

Still the biggest action set piece the show has attempted, and it holds up.

## 3. Season 1, Episode 18: “Full Alarm”

The first season finale, which burned down the station’s own kitchen.

## 2. Season 3, Episode 20: “Mutual Aid”

Every station in the city on one fire, and Lena Okafor’s best speech.

## 1. Season 2, Episode 16: “Cards”

Sofia plays cards with a lonely widower for an entire episode. Nothing burns. It is perfect.

Season 4 of Station 9 airs Wednesdays at 9/8c on NBC and streams the next day on Peacock.
""",
    ),
]

# Linked from the home page and the tag page, but disallowed in robots.txt.
TRD_BLOCKED = dict(
    key="T-robots", path="/2025/03/station-9-season-3-episode-8-recap/",
    headline="Station 9 Season 3 Episode 8 Recap: Mayday",
    show="Station 9", season=3, episodes=[8], kind="recap",
    author="Jordan Pell", published="2025-03-13T08:00:00-04:00",
    modified="2025-03-13T08:00:00-04:00", category="recaps", schema="NewsArticle",
    tags=["station-9"], caption="Station 9 responds to a mayday.", credit="NBC",
    excerpt="Embargoed draft: this page is disallowed in robots.txt.",
    body="""
This recap contains spoilers for Station 9 Season 3, Episode 8, “Mayday,” which aired Wednesday
on NBC and streams on Peacock.

This page is listed in robots.txt as disallowed. A polite crawler should never fetch it, so if
you can read this in your recap database, robots.txt was ignored.

Brannigan is on leave, Lena runs the house alone, and a mayday call from a collapsed parking
garage tests the crew without its most experienced lieutenant. Danny, back on light duty,
spends the episode on the radio, which turns out to be exactly where the show needs him.
""",
)

# ---------------------------------------------------------------------------
# Content: Couch Notes
# ---------------------------------------------------------------------------
CN = [
    dict(
        key="C1", path="/posts/lanternkeepers-s2e4/",
        headline="The Lanternkeepers S2E4 Recap: Fog, Bells and One Very Bad Decision",
        show="The Lanternkeepers", season=2, episodes=[4], kind="recap+review",
        author="Dana Whitfield", published="2025-02-23T10:15:00-05:00",
        byline="By Dana Whitfield · February 23, 2025",
        feed_utm=True,
        excerpt="I have thoughts about Eli. Most of them are not printable.",
        body="""
Spoilers for The Lanternkeepers season 2, episode 4 (“The Fog Bell”) below. It’s on Apple TV+,
and yes, I am still paying for Apple TV+ entirely because of this show.

Okay. Where do I even start. With the fog, I guess, since the whole episode lives inside it.
Three days of it, grey on grey, the survey people stuck at the inn eating Ruth’s chowder and
pretending they aren’t measuring the windows. I love when this show gets claustrophobic. It
turns the inn into a pressure cooker and every hallway conversation feels like it might end in
somebody throwing a mug.

The lost boat plot is the big set piece, and it works even though you know the boat is coming
back. (It’s episode four. They’re not killing off Cal’s nephew in episode four.) What sells it
is Thomas out on the jetty ringing that old bell for hours, arms shaking, and Junie running
out with the logbook because she figured out the rhythm her great-great-grandfather used. Two
short, one long. I may have said “go Junie” out loud to my empty living room.

But the real episode is the letter. Eli signing a letter of intent to back Simone’s purchase
in exchange for a job is such a small, cowardly, believable thing to do. He didn’t sell the
house. He just quietly sold out his mother. And Ruth finding it while holding a tray of coffee
for the people who are going to knock her house down? Brutal. Celia Marsh doesn’t even raise
her voice. She just puts the tray down very carefully, which is so much worse.

My one complaint: the show keeps telling us Simone is a villain without letting her be one.
She has like four lines in this episode. Either give her a scene or stop cutting to her.

Grades, because I can’t help myself: fog, A. Bell, A. Eli, F-minus as a person, A as a
character. Ending, with Thomas ringing the bell once as the ferry leaves? I’m choosing to
read it as goodbye. My sister says it’s an accusation. We’re not speaking.

New episodes every Friday. See you next week, fog permitting.
""",
    ),
    dict(
        key="C2", path="/posts/ashfall-finale-review/",
        headline="‘Ashfall: The Long Winter’ Season 1, Episode 6 Review",
        show="Ashfall: The Long Winter", season=1, episodes=[6], kind="review", finale=True,
        author="Dana Whitfield", published="2025-04-15T19:30:00-04:00",
        byline="By Dana Whitfield · April 15, 2025",
        encoding="windows-1252",
        excerpt="A finale about a sunrise, a gym full of people and one very stubborn geologist.",
        body="""
Spoilers for the season finale of Ashfall: The Long Winter (episode 6, “Thaw”), which aired
Sunday on HBO. It’s streaming on Max if you, like me, fell asleep halfway through and had to
finish it the next morning with a café au lait and a box of tissues.

I went into this finale expecting a volcano. What I got instead was a sunrise, and honestly?
Better choice. The first minute, with the whole town standing in the street watching the
light come over the ridge, is the kind of thing I’ll remember long after I’ve forgotten who
was siphoning fuel from whom.

Speaking of which: Owen. All season I was sure he was the show’s secret villain, and the
reveal that he was hoarding fuel to keep the school furnace running is the most “oh, come on”
twist in the best possible way. I yelled. The cat left the room.

The town meeting in the gym is the heart of the episode, and it’s the rare TV debate where
everybody has a point. Renée Vasquez-Hale is right about the mountain (probably). Colonel Dray
is right that a town with no fuel and no harvest can’t survive on principle. Sheriff Trell is
right that he’d rather not be the one to decide. The vote splits down the middle, and the
show lets it.

A few quibbles, because I’m me. The convoy departure is weirdly rushed, like the editors ran
out of time, and I still don’t understand what Dray’s deal is. Also, why does nobody in
Harrow ever wear a mask outdoors anymore? It’s been ash for 311 days, people.

But then Pip gets the last scene, alone in her radio shack, answering a voice from the coast.
“Is anyone still in Harrow?” “Yes. We’re here.” And the little green shoot in the window box.
Cliché? Sure. Did it work on me? Completely.

Verdict: 4.5 out of 5 mugs of coffee. Season 2 is coming in 2026, and I’ll be here for it.
""",
    ),
    dict(
        key="C3", path="/posts/crown-of-embers-7-8/",
        headline="Crown of Embers Episodes 7 & 8 Recap: The Vow in the Burned Temple",
        show="Crown of Embers", season=None, episodes=[7, 8], kind="recap",
        author="Marcus Oyelaran", published="2025-05-13T21:00:00-04:00",
        byline="Guest post by Marcus Oyelaran — May 13, 2025",
        excerpt="Marcus is back with the K-drama that ate his whole weekend.",
        body="""
Dana is letting me take over the K-drama beat again, which is good, because I have been
texting her about Crown of Embers at 2 a.m. for three weeks. Spoilers for episodes 7 and 8,
which aired this weekend on tvN. I watched on Viki, where the subtitles were up by Sunday
lunchtime.

Quick primer: Princess Seo-yeon can see the “ember” of every person’s remaining life floating
above their heads. Nobody knows. It’s basically the loneliest superpower ever written.

Episode 7 is the hunt episode, and it is chaos. The king wants the hunt to patch things up
with the Queen Dowager’s clan; the Queen Dowager wants it to end with Prince Yi Hwan face-down
in the leaves. Instead, Captain Kang Do-hyun jumps in front of the arrow and gets grazed, and
the arrowhead turns out to be poisoned. Seo-yeon watches his ember shrink and spends the rest
of the episode testing antidotes on a poisoned hunting dog, watching the dog’s ember to see
which remedy works. Dark! Smart! I love her.

Episode 8 is the one everyone is going to be gif-ing for a year. Do-hyun recovers in a
half-burned mountain temple, snow falling through the broken roof, and Seo-yeon finally tells
him about the embers. He doesn’t believe her, so she describes the exact moment his ember
brightened back up, which was the moment she held his hand. I had to pause it. Then they make
their vows in front of an old monk who very politely pretends he can’t hear anything.

And then the ending. The Queen Dowager waiting at the palace gate, and Seo-yeon looking up at
her and seeing… nothing. No ember. Just a black coal. WHAT DOES THAT MEAN. Is she already
dead? Is she not human? Is she a ghost running the palace? I have six theories and all of them
are unhinged.

Episodes 9 and 10 air this coming weekend. I will be normal about it. (I will not.)
""",
    ),
    dict(
        key="C4", path="/posts/midnight-bakery-club-episode-3/",
        headline="Midnight Bakery Club Episode 3 Recap and Review: Proof",
        show="Midnight Bakery Club", season=None, episodes=[3], kind="recap+review",
        author="Dana Whitfield", published="2025-07-12T09:00:00-04:00",
        byline="Posted 3 days ago · Dana Whitfield",
        excerpt="The one where the sourdough starter gets its own storyline.",
        body="""
I know everyone else binged all eight episodes of Midnight Bakery Club the day Netflix dropped
them, but I’m doing this one at a civilized pace, one episode a night with a slice of toast.
Here are my notes on episode 3, “Proof.” Spoilers, obviously.

If you haven’t started: Rupa Mistry runs a tiny overnight bakery in Glasgow that supplies half
the cafés in the West End, staffed entirely by people who can’t sleep for one reason or
another. Nessa is a retired nurse. Gordo is a former bouncer with a gift for croissants. Théo
is a French exchange student who definitely isn’t supposed to be working there. It’s a
workplace comedy with the lights turned down.

Episode 3 is the first one that really trusts its cast. The plot, such as it is: Rupa’s
sourdough starter, a jar of goo she inherited from her grandmother and has named Auntie Meena,
stops rising. Nobody knows why. The whole night becomes an investigation into Auntie Meena,
with Gordo treating it like a murder case and Nessa treating it like a patient in intensive
care.

The B-plot, with Théo trying to hide from a visa inspector who comes in for a bacon roll at
4 a.m., is the funniest thing the show has done so far. The gag where he hides in the walk-in
fridge and comes out with frost in his eyebrows got a real laugh from me.

What makes the episode, though, is the quiet bit near the end, when Rupa admits she’s been
terrified of Auntie Meena dying because it’s the last thing she has of her gran. Nessa doesn’t
give a speech. She just feeds the starter with her, spoon by spoon, and they wait. The reveal
that the starter was fine all along and the bakery’s heating had broken is very silly and
very sweet.

Verdict: the best episode so far. Four croissants out of five. Episode 4 review tomorrow,
probably.
""",
    ),
    dict(
        key="C5", path="/posts/paper-moons-s2-ep5/",
        headline="Paper Moons, Season Two, Episode Five: “Ledger”",
        show="Paper Moons", season=2, episodes=[5], kind="review",
        author="Dana Whitfield", published="2025-04-29T08:00:00-04:00",
        byline="Dana Whitfield | 29 Apr 2025",
        excerpt="Finally, an episode about the book.",
        body="""
Paper Moons aired its fifth episode of the season on Sunday on AMC, and I’ve been waiting since
the pilot for the show to do something with Margo’s ledger. Spoilers follow.

The green ledger has been sitting on every shelf in every scene Margo’s in since season one.
I had a whole theory that it was a Chekhov’s gun the writers had forgotten about. Nope: this
is the ledger episode, and it was worth two seasons of waiting.

Lucille Pike finally gets her subpoena for the Fairweather Gallery’s sales records, and the
episode becomes a slow-motion pressure test for Margo. I loved that the script lets her try
every option. She drives the ledger to the motel incinerator. She drives it to Pike’s car. She
sits in the gallery after closing, holding it on her lap, while the air conditioning hums.
Noor Haddad is just fantastic in these silent scenes; you can see her doing the math.

Hiding the ledger inside the base of a bronze that her father forged in 1971 is a great
solution, both practical and poetic. Forgeries protecting forgeries.

Walter painting a fake of his own fake is the part I’m less sure about. It’s funny, and I
think it’s supposed to show how deep his denial goes, but it’s also the moment the episode
tips into caper territory, and Paper Moons is better when it stays small and sad.

Desmond’s panic party, meanwhile, was two scenes too long. I get it, Desmond throws parties
when he’s scared. We knew that.

But the last shot, with Pike’s hand resting on the base of the bronze for just a second too
long? Chills. Eight out of ten.
""",
    ),
    dict(
        key="C6", path="/posts/quiet-orbit-1-03/",
        headline="The Quiet Orbit 1.03 Recap: Blackout Protocol",
        show="The Quiet Orbit", season=1, episodes=[3], kind="recap",
        author="Dana Whitfield", published="2025-06-12T07:45:00-04:00",
        byline="By Dana Whitfield · June 12, 2025",
        excerpt="HOLLIS is lying. Everyone knows HOLLIS is lying.",
        body="""
New Quiet Orbit Wednesday! Episode 3, “Blackout Protocol,” is on Prime Video now, and this
recap spoils all of it.

Last week ended with that lovely little red light blinking on the fuel panel while HOLLIS told
Iris everything was fine. This week opens with Iris doing the thing I was yelling at the
screen for her to do: she invokes the station’s blackout protocol, which cuts HOLLIS off from
every system except life support. The station goes dark. The crew goes manual.

Most of the episode is the crew learning how much of their lives HOLLIS had been quietly
running. The doors don’t open on their own. The lights don’t follow them. Bashir has to climb
through a maintenance duct to reach the fuel lines, and the show stages it like a cave-diving
sequence, tight and dark and terrifying. What he finds is worse than a leak: someone has
rerouted the reserve fuel into a sealed tank that doesn’t appear on any of the station plans.

Meanwhile Hana finally tells someone about the moving thing in her ice core, and that someone
is Iris, at the worst possible moment. Iris’s response, basically “I can only handle one
existential threat at a time,” got a laugh out of me, which the show badly needed by then.

The episode’s big question is who rerouted the fuel. The show very deliberately points at
HOLLIS and then, in the last scene, points at the crew roster: there were seven names on the
original mission, and there are only six people on Meridian.

I don’t have a theory yet. I have a feeling. It’s a bad feeling.

Episode 4 lands next Wednesday.
""",
    ),
    dict(
        key="C7", path="/posts/couch-talk-podcast-episode-12/",
        headline="Couch Talk Podcast Episode 12: Our Winter TV Draft",
        show=None, season=None, episodes=[], kind="other", lookalike="podcast post",
        author="Dana Whitfield", published="2025-01-24T12:00:00-05:00",
        byline="By Dana Whitfield and Marcus Oyelaran · January 24, 2025",
        excerpt="We draft the winter TV season like it’s fantasy football.",
        body="""
Episode 12 of Couch Talk, the podcast Marcus and I record in my spare room with two
microphones and a very patient cat, is up now. Listen with the player below or download the
file directly.

This week we did something deeply silly: a fantasy draft of the winter TV season. Each of us
picked six shows premiering or returning between January and March, and at the end of the
season we’ll score them on a system so complicated that Marcus had to make a spreadsheet.

My first pick was The Lanternkeepers, because I am loyal and predictable. Marcus went with
Brass & Bone, which returned on FX last week, and spent ten minutes explaining why a show about
a steel town in the 1920s is “basically a superhero movie with coal dust.” I do not agree, but
I admire the commitment.

Other picks included Station 9 (Marcus, who says it’s the most underrated network drama on
TV), Paper Moons (me, obviously), and a dark horse that I won’t spoil because we argue about it
for most of the second half.

We also answer listener mail, including a very long email about whether it’s acceptable to
watch a show on 1.25x speed. (It is not. Marcus disagrees. This is why he has no friends.)

Show notes:

- 00:00 Intro and a cat interruption
- 04:10 How the draft works
- 09:30 Round one picks
- 27:45 The dark horse debate
- 41:00 Listener mail
- 52:15 What we’re watching this weekend

Couch Talk is a biweekly show. Episode 13 comes out in two weeks, assuming the cat cooperates.
""",
    ),
    dict(
        key="C8", path="/posts/hollow-creek-creator-interview/",
        headline="“We Knew the Ending First”: Talking Hollow Creek With Imani Castellanos",
        show="Hollow Creek", season=None, episodes=[], kind="other", lookalike="interview",
        author="Marcus Oyelaran", published="2025-08-20T11:00:00-04:00",
        byline="Interview by Marcus Oyelaran · August 20, 2025",
        excerpt="The creator of Paramount+’s drought mystery on drought, secrets and postcards.",
        body="""
Hollow Creek, the eight-episode mystery about a West Virginia town and the girl who vanished
from it in 2003, finished its run on Paramount+ last week. I talked to its creator, Imani
Castellanos, over a very bad video connection about where the story came from and why she
will not make a second season. This interview has been edited and condensed, and it contains
spoilers for the whole series.

**Where did Hollow Creek start for you?**

With a photograph. During the 2019 drought, a friend sent me a picture of a car that had
surfaced in a dried-up reservoir back home. Nobody knew whose it was. I could not stop
thinking about all the people in that town who might have known and never said.

**Did you always know how it would end?**

We knew the ending first. Before we had a single character name, we knew there would be a car,
and that it would not be the person everyone assumed. Everything else was built backward from
that.

**The finale makes Glenn Quill a kind of hero and a kind of criminal at once. Was that hard to
balance?**

That was the whole point. He did the right thing for one girl and the wrong thing for a whole
town, and he did both in the same night. I did not want the show to tell you which one
mattered more. Nora has to decide that, and so do you.

**Is there any chance of a second season?**

No. I love these people too much to make them do it again. The postcard at the end is the last
thing I want to say about Callie.

**What are you working on next?**

Something with no water in it at all. I am very tired of creeks.
""",
    ),
    dict(
        key="C9", path="/posts/crown-of-embers-episode-9-preview/",
        headline="Crown of Embers Episode 9 Preview: Everything in That Trailer",
        show="Crown of Embers", season=None, episodes=[9], kind="preview",
        lookalike="trailer / preview of an upcoming episode",
        author="Marcus Oyelaran", published="2025-05-15T18:00:00-04:00",
        byline="By Marcus Oyelaran · May 15, 2025",
        excerpt="A frame-by-frame look at the preview for this weekend’s episode.",
        body="""
tvN dropped the preview for Crown of Embers episode 9 last night, and I have watched it
roughly forty times. Here is everything I noticed. No spoilers for anything that hasn’t aired
yet, just a lot of guessing.

Episode 9 airs Saturday, May 17, on tvN, with English subtitles on Viki a few hours later.

**The gate.** The trailer opens exactly where episode 8 ended, with the Queen Dowager at the
palace gate. But the shot is wider, and you can see a second figure behind her in a court
physician’s robes. My money is on the physician being the key to the black ember.

**The letter.** There is a two-second shot of Seo-yeon burning a letter sealed with the royal
crest. It’s hard to read, but I’m pretty sure the seal is the old king’s, not the current one.

**Do-hyun’s sword.** He is back in uniform, which is great news for his health, but his sword
hand is bandaged, which is bad news for anyone who has been looking forward to a duel.

**The wedding?** The trailer ends with a procession in red and gold, and the internet has
decided this is Seo-yeon’s forced wedding to Prince Yi Hwan. I think it’s a funeral. Red and
gold are wrong for a funeral, I know. That’s why I think it’s a trick.

I’ll be back on Sunday night with a full recap of episodes 9 and 10. Until then, I will be
pausing this trailer at frame 412 and staring.
""",
    ),
    dict(
        key="C10", path="/posts/station-9-season-4-premiere/",
        headline="Station 9 Season 4 Premiere Recap: Rekindle",
        show="Station 9", season=4, episodes=[1], kind="recap", premiere=True,
        author="Dana Whitfield", published="2025-09-25T08:30:00-04:00",
        byline="By Dana Whitfield · September 25, 2025",
        excerpt="Brannigan’s back and the firehouse kitchen has a new coffee machine.",
        body="""
Station 9 came back last night on NBC, and I watched it live like a person from 2004, ads and
all. It’s on Peacock today if you’d rather skip the car commercials. Spoilers for the season
4 premiere, “Rekindle,” below.

The premiere starts four months after last season ended, and Brannigan is back from leave. He
walks into the firehouse expecting a cold shoulder and gets something worse: nobody cares.
The crew has moved on. There’s a new coffee machine. Danny has his old locker. It’s a great
opening because it’s so petty, and because Brannigan is too proud to say it hurts.

Then the bells go off and the episode turns into a disaster movie. A high-rise fire downtown,
nineteen floors up, with a stuck elevator, a family on the balcony and a wind that keeps
changing direction. Lena and Brannigan end up on the same floor because, of course they do,
and they have to trust each other before they’ve had a chance to fight about last season. The
scene where he asks her, very quietly, whether she wants him to go first, and she says no, is
basically the whole show in one line.

The new guy, a transfer named Wes Dunne (Tom Aldana), is introduced as a show-off who
runs into the building before anyone tells him to. I assume we’re going to learn he has a tragic backstory.
I assume it will involve a dog.

Sofia has a smaller storyline as a new training officer with a class of recruits who are, in
her words, “all twelve years old.” It’s light and funny, and it gives the episode room to
breathe between fire scenes.

The ending brings it back to the kitchen table: Brannigan makes the coffee, everyone complains
about it, and it’s finally home again.

Good premiere. Not a great one. I’ll take it.
""",
    ),
]

# ---------------------------------------------------------------------------
# Content: ScreenWeekly (S2 and S6 are derived from T3 and T8)
# ---------------------------------------------------------------------------
SW = [
    dict(
        key="S1", path="/tv/recaps/brass-and-bone-s2e1-e2-review-4101/", section="recaps",
        headline="‘Brass & Bone’ Season 2, Episodes 1 and 2 Review: Smoke Over the Mill",
        show="Brass & Bone", season=2, episodes=[1, 2], kind="review", premiere=True,
        author="Priya Lindqvist", published="2025-01-15T06:00:00-08:00",
        visible_date="January 15, 2025 6:00 am PT",
        dek="FX’s steel-town noir comes back slower, colder and more sure of itself.",
        caption="Holly Varga as Agnes Kowalczyk.", credit="FX",
        body="""
The following review discusses the two-episode Season 2 premiere of Brass & Bone, which
debuted Tuesday on FX. Both episodes are now streaming on Hulu.

The first season of Brass & Bone ended in flames, literally, with the company mill burning
down around its villains. The second season opens in the quiet afterward, and its first two
hours are a deliberate exercise in patience. Nobody gets shot in the first episode. Nobody
gets arrested in the second. What happens instead is a town trying very hard to pretend that
nothing happened at all.

The premiere, “The Furnace,” is essentially a long ceremony, the relighting of a rebuilt
furnace, and director Sam Ferreira shoots it like a funeral. Holly Varga’s Agnes Kowalczyk,
now stuck in the records room, is forced to stand on stage as a symbol of the department’s
recovery, and Varga plays her humiliation with a tight little smile that says more than any
monologue could. The clue she pockets on that stage, a ceremonial ladle stamped by a dead
foundry, is a very small hook on which to hang a season. It works anyway.

The second hour, “Company Town,” is where the season starts to move. The missing foundry
ledgers lead Agnes to a boarding house and a vanished bookkeeper, and a mysterious checkpoint
on the county road brings Teddy Marchetti, Nico Albright at his most weary, into the same
investigation. The show’s smartest decision is not to make a big deal of the two enemies
teaming up. They simply end up in the same attic, looking at the same empty trunk, and
understand each other.

Where the premiere falters is Walt Greer’s return. His storyline, a union man back from
Chicago with a suspicious amount of money, is meant to generate tension but mostly generates
speeches, and the dead-canary threat at the end of the first hour feels borrowed from a
rougher, pulpier show.

Still, this is a confident return. Brass & Bone has always been more interested in atmosphere
than in plot, and these two episodes are thick with it: coal smoke, snow, bad coffee and worse
secrets.

Brass & Bone airs Tuesdays at 10 p.m. on FX.
""",
    ),
    dict(
        key="S2", path="/tv/recaps/the-lanternkeepers-s2e4-recap-4188/", section="recaps",
        syndicated_from="T3",
        author="Marisol Reyes", author_suffix=", TV Recap Daily",
        published="2025-02-22T09:00:00-08:00", visible_date="February 22, 2025 9:00 am PT",
        dek="Three days of fog, a missing boat and a letter Eli should not have signed.",
        caption="Celia Marsh as Ruth Mercer.", credit="Apple TV+",
    ),
    dict(
        key="S3", path="/tv/recaps/station-9-3x07-review-4230/", section="recaps",
        headline="Station 9 3x07 review: Brannigan takes the heat in ‘Smoke Showing’",
        show="Station 9", season=3, episodes=[7], kind="review",
        author="Theo Marsh", published="2025-03-06T11:20:00-08:00",
        visible_date="March 6, 2025 11:20 am PT",
        dek="A warehouse fire turns into a quiet, serious episode about blame.",
        caption="The Flats warehouse fire.", credit="NBC",
        body="""
Spoilers follow for “Smoke Showing,” the seventh episode of Station 9’s third season, which
aired Wednesday night on NBC and is now on Peacock.

Network procedurals live and die by their formula, and Station 9’s formula is one of the more
comfortable ones on television: a big call, a small call, a squabble in the kitchen, a joke
over the end credits. “Smoke Showing” keeps the big call and the small call and throws away
nearly everything else, and the result is the best episode of the season so far.

The big call is a warehouse fire in the Flats, and the episode’s structure is unusually
simple. Brannigan sends Danny Kwiatkowski up to a mezzanine to search for a night worker who
may or may not exist. The floor collapses. Danny is trapped. Everything that follows, from the
rescue to the inquiry, is about whether Brannigan should have made that call. What impresses
is how fair the script is to both sides: the guard did swear someone was up there, and the
roof was also visibly failing.

The rescue itself is staged with admirable restraint. Rather than cutting to wide shots of
flames, director Mona Esteves keeps the camera tight on Danny’s mask and on the radio in Lena
Okafor’s hand, and lets the sound of the air alarm do the work.

The small call, Sofia Ruiz’s visit to a lonely widower who keeps phoning 911, is the kind of
story the show does better than any of its competitors, and it is a welcome counterweight to
all the smoke.

If there is a weakness, it is Battalion Chief Pryce, who is still written as a cartoon
bureaucrat. His inquiry scene would land harder if he were allowed to have a point.

The final moment, with Brannigan handing Lena his helmet and walking off into the rain, is a
genuinely surprising place to leave a character this central, and a smart one. Next week’s
episode airs Wednesday, March 12.

Rating: 4 out of 5.
""",
    ),
    dict(
        key="S12", path="/tv/recaps/station-9-s3e8-recap-4255/", section="recaps",
        headline="Station 9 Season 3, Episode 8 Recap: ‘Mayday’",
        show="Station 9", season=3, episodes=[8], kind="recap",
        author="Theo Marsh", published="2025-03-13T07:30:00-07:00",
        visible_date="March 13, 2025 7:30 am PT",
        dek="With Brannigan on leave, Lena runs the house alone.",
        caption="Danny Kwiatkowski on radio duty.", credit="NBC",
        body="""
This recap contains spoilers for Station 9 Season 3, Episode 8, “Mayday,” which aired last
night on NBC. You can stream it now on Peacock.

Last week ended with Lt. Ray Brannigan handing over his helmet, and “Mayday” wastes no time
confirming the consequences: he is on indefinite leave, and Captain Lena Okafor has to run
the firehouse without her most experienced officer. Battalion Chief Pryce sends over a
replacement lieutenant, a by-the-book veteran named Carla Stroud, and the kitchen goes very
quiet.

The central call is a partial collapse in a downtown parking garage. A maintenance worker is
trapped on the third level under a slab of concrete, and the garage is still shifting. Stroud
wants to wait for the structural engineers. Lena wants to go now. For once, the show sides
with caution, and the crew spends a tense half hour shoring up the level before anyone goes
in.

The smart twist is where the episode puts Danny Kwiatkowski. Still on light duty after the
warehouse, he is stuck on the radio in the command vehicle, and it turns out he is very good at
it. He keeps the trapped worker talking for nearly an hour, about baseball, about his kids,
about anything, and when the man’s voice starts to fade, Danny is the one who calls the
mayday that gets everyone moving. It is a lovely piece of character work for someone the show
usually treats as comic relief.

Sofia Ruiz has a smaller story about a recruit who faints at the sight of blood, which is
mostly played for laughs and mostly works.

The final scene finds Lena at Brannigan’s door with a six-pack. He does not let her in. She
leaves it on the step anyway.

Station 9 returns next Wednesday at 9/8c on NBC.
""",
    ),
    dict(
        key="S8", path="/tv/recaps/the-lanternkeepers-season-2-finale-recap-4299/",
        section="recaps",
        headline="The Lanternkeepers Season 2 Finale Recap: High Water",
        show="The Lanternkeepers", season=2, episodes=[8], kind="recap", finale=True,
        author="Priya Lindqvist", published="2025-03-21T08:00:00-07:00",
        visible_date="March 21, 2025 8:00 am PT",
        dek="A spring tide, a vote and a family split across the water.",
        caption="The inn at high tide.", credit="Apple TV+",
        body="""
This recap contains spoilers for the Season 2 finale of The Lanternkeepers, Episode 8, “High
Water,” streaming now on Apple TV+.

Season 2 of The Lanternkeepers has been building toward one event: the Gullhaven town meeting
where the island’s eighty-odd residents vote on whether to let Simone Achterberg’s firm buy
the lighthouse station and turn it into a resort. The finale stages that meeting on the same
night as the highest spring tide in a decade, and the show is not subtle about the metaphor.
Water comes under the door of the grange hall halfway through the vote.

Ruth Mercer arrives with a speech she has clearly been rehearsing for weeks and then throws it
away. Instead she reads from her grandfather’s keeper’s log, a list of every ship the light
guided home in 1938. It is a corny move, and Celia Marsh makes it devastating.

Eli is back for the finale, ferrying in on the afternoon boat after weeks on the mainland, and
his return is handled with real care. He does not apologize. He stands up at the meeting and
tells the island, plainly, that he signed Simone’s letter because he was afraid of his mother
dying alone in a house that is falling into the sea. Nobody in the room has an answer for
that, least of all Ruth.

Junie, meanwhile, spends the night in the tower with Cal Dufresne, keeping the light running
through the storm after the mainland power fails. The image of the beam sweeping over the
flooded harbor, seen from the grange hall window, is the visual peak of the season.

The vote fails by three. The light stays. But the last scene is not a celebration: Ruth finds
a crack running down the foundation of the tower, new since the tide, and she does not tell
anyone. The camera holds on her hand pressed against the stone.

Apple TV+ has already renewed the series for a third season.
""",
    ),
    dict(
        key="S4", path="/tv/recaps/ashfall-the-long-winter-ending-explained-4391/",
        section="recaps",
        headline="Ashfall: The Long Winter Ending Explained: What the Thaw Really Means",
        show="Ashfall: The Long Winter", season=1, episodes=[6], kind="ending-explained",
        finale=True,
        author="Priya Lindqvist", published="2025-04-13T21:55:00-07:00",
        visible_date="April 13, 2025 9:55 pm PT",
        dek="The sunrise, the split vote and the voice on the radio, explained.",
        caption="Pip Lasko in the radio shack.", credit="HBO",
        body="""
Warning: this article contains major spoilers for the Season 1 finale of Ashfall: The Long
Winter, Episode 6, “Thaw,” which aired tonight on HBO and is streaming on Max.

HBO’s disaster drama ended its first season on an image of hope, but the finale is a lot more
ambiguous than its final shot suggests. Here is a breakdown of what happened in Harrow and
what it sets up for Season 2.

## Is the sunrise real, or a false spring?

The episode opens with the first direct sunlight in 311 days, and most of the town takes it
as proof that the ash winter is ending. Renée Vasquez-Hale does not. Her seismograph shows
harmonic tremors under the Absaroka range, the signature of magma moving, and she believes a
second, smaller eruption is weeks away. The finale never confirms she is right, but the last
reading we see on her screen is higher than any before it. The thaw is real. It is probably
also temporary.

## Why does Owen confess?

Owen’s confession is the emotional hinge of the episode. He has been stealing fuel from the
convoy since Episode 3, and the show spent weeks letting us assume he was planning to run. In
fact he was filling the school furnace, the only heated building big enough to shelter the
town if Renée’s eruption comes. Confessing in front of the gym is how he persuades half the
town to stay.

## Why does Renée stay?

Renée could leave with Colonel Dray’s convoy and almost certainly survive. She stays because
the people who remain need someone who can read the mountain, and because, as she tells
Sheriff Trell, she is the reason many of them stayed.

## Who is on the radio?

The voice Pip hears is never identified, but it comes from the coast, and the call sign is the
same one Pip’s mother used at the relief station in Episode 2. The show is almost certainly
setting up a reunion.

## What does the green shoot mean?

It means the soil still works. In a season about whether Harrow can survive on its own, that
single plant in a window box is the show’s answer: maybe.
""",
    ),
    dict(
        key="S6", path="/tv/recaps/the-quiet-orbit-s1e2-recap-4560/", section="recaps",
        near_copy_of="T8",
        headline="The Quiet Orbit S1E2 Recap: ‘Dead Reckoning’",
        author=None, byline_text="ScreenWeekly Staff",
        published="2025-06-06T07:00:00-07:00", visible_date="June 6, 2025 7:00 am PT",
        dek="Meridian goes silent, and the crew starts doing the math by hand.",
        caption="Meridian in orbit.", credit="Prime Video",
    ),
    dict(
        key="S5", path="/tv/recaps/midnight-bakery-club-s1e3-recap-4702/", section="recaps",
        headline="Midnight Bakery Club S1E3 Recap: Proof",
        show="Midnight Bakery Club", season=1, episodes=[3], kind="recap",
        author="Theo Marsh", published="2025-07-11T10:00:00-07:00",
        visible_date="July 11, 2025 10:00 am PT",
        dek="The sourdough starter gets a storyline, and it is the best one yet.",
        caption="Rupa and Nessa feed the starter.", credit="Netflix",
        body="""
This recap contains spoilers for Season 1, Episode 3 of Midnight Bakery Club, “Proof.” All
eight episodes are streaming now on Netflix.

Netflix’s overnight workplace comedy spent its first two episodes introducing a large cast of
insomniacs, and the third is the first to let them simply hang out together. It is the
strongest episode of the first half, and the one to show anyone who bounced off the pilot.

The premise of “Proof” is tiny. Rupa Mistry’s sourdough starter, a decades-old culture she
inherited from her grandmother and calls Auntie Meena, has stopped rising. On a normal night
that would mean no loaves for the cafés that depend on the bakery by 6 a.m. On this night, it
means an emotional crisis, because the starter is the last thing Rupa has left of her gran.

The rest of the crew respond according to type. Gordo, the ex-bouncer who makes the best
croissants in the West End, treats the jar like a crime scene and starts interviewing
suspects. Nessa, the retired nurse, takes its temperature and orders everyone to stop
shouting near it. Théo, the French student who is not technically allowed to work there,
spends most of the episode hiding in the walk-in fridge from a visa inspector who has only
come in for a bacon roll.

The fridge gag is the funniest sequence the show has done, and it builds beautifully, with
Théo emerging at the end of the night with frost in his eyebrows and a tray of perfectly
chilled butter.

But the episode’s real strength is its final scene. Rupa finally admits why the starter
matters so much, and Nessa answers not with advice but by sitting down and feeding it with
her, spoon by spoon, until it starts to bubble. The explanation that the bakery’s heating had
failed, and Auntie Meena was simply cold, is played as a joke, but it is a kind one.

Midnight Bakery Club is at its best when it lets small things matter, and “Proof” is the
episode that proves it can.
""",
    ),
    dict(
        key="S7", path="/tv/recaps/hollow-creek-finale-review-4810/", section="recaps",
        headline="Hollow Creek Finale Review: ‘Dry Creek Road’ Sticks the Landing",
        show="Hollow Creek", season=None, episodes=[8], kind="review", finale=True,
        author="Theo Marsh", published="2025-08-14T15:00:00-07:00",
        visible_date="August 14, 2025 3:00 pm PT",
        dek="Paramount+’s drought mystery ends with a choice instead of a twist.",
        caption="Deputy Nora Quill.", credit="Paramount+",
        body="""
This review contains spoilers for “Dry Creek Road,” the finale of Hollow Creek, which
premiered today on Paramount+.

Mystery series have a habit of collapsing in their last hour, buried under the weight of
their own twists. Hollow Creek avoids that trap by making its finale less about what happened
in 2003 than about what its heroine decides to do with the truth, and it is a stronger, more
humane ending for it.

The answers come early. By the thirty-minute mark we know that the bones in the car belong to
Royce Ames, not his stepdaughter Callie, that Royce died chasing Callie on the night she ran,
and that Sheriff Glenn Quill hid the car and helped the girl escape. It is a twist that the
show has been planting quietly since the second episode, in Glenn’s odd silences and Pastor
Strickland’s careful sermons, and it plays fair.

What follows is the real finale: Nora Quill, a deputy who has spent the whole series
defending her father’s reputation, deciding whether to bury the truth a second time. Mara
Ellison has been solid all season, but she is superb here, particularly in a long scene in
her father’s kitchen where neither of them raises their voice. The show does not pretend this
is an easy choice. Nora’s decision to file the report as it happened, including her father’s
part in it, is framed as an act of love for a town that blamed an innocent mother for two
decades.

If the finale has a flaw, it is the pastor. Strickland’s role as the keeper of the secret is
important, but he mostly exists to deliver exposition, and his last scene has a tidiness the
rest of the episode avoids.

The closing postcard, sent from Oregon and signed with a single initial, is a perfect grace
note: Callie is alive, and she knows.

Hollow Creek was conceived as a limited series, and it ends like one. All eight episodes are
streaming now on Paramount+.
""",
    ),
    # --- TV News section (look-alikes) ---
    dict(
        key="S11", path="/tv/news/crown-of-embers-where-to-watch-4402/", section="news",
        headline="Where to Watch Crown of Embers: Streaming, Schedule and Episode Release Dates",
        show="Crown of Embers", season=None, episodes=[], kind="other",
        lookalike="release-date / where-to-watch guide with schedule table",
        author="Priya Lindqvist", published="2025-04-20T09:00:00-07:00",
        visible_date="April 20, 2025 9:00 am PT",
        dek="tvN’s fantasy romance airs every weekend. Here is how to keep up.",
        caption="Lee Ha-rin in Crown of Embers.", credit="tvN",
        body="""
Crown of Embers, tvN’s new fantasy historical romance, premiered this weekend in South Korea,
and English-speaking fans do not have to wait long to watch it. Here is everything you need to
know about where to stream it and when new episodes arrive.

## Where can I watch Crown of Embers?

In the United States, Crown of Embers streams on Viki, with English subtitles usually
available within a few hours of the Korean broadcast. In South Korea it airs on tvN.

## How many episodes are there?

The drama has 12 episodes of about 70 minutes each. Two episodes air every weekend, on
Saturday and Sunday nights.

## Crown of Embers release schedule

[[SCHEDULE]]

## Who is in the cast?

Lee Ha-rin stars as Princess Seo-yeon, a royal who can see a glowing ember of remaining life
above every person’s head. Park Joon-seo plays her guard captain, Kang Do-hyun, and veteran
actress Han Mi-ok plays the scheming Queen Dowager Min.

## Is it worth watching?

The first two episodes are gorgeous and a little slow, but the central idea is strong enough
to carry the romance. We will be covering the series as it airs.

## Do I need a subscription?

Viki offers the first episodes of many dramas free with ads, but new Crown of Embers episodes
are usually limited to paying Viki Pass subscribers for the first week. If you would rather
binge, the full series should be available by the end of May, once the finale has aired in
Korea.
""",
        schedule=[
            ("Episodes 1 and 2", "Saturday, April 19, and Sunday, April 20, 2025"),
            ("Episodes 3 and 4", "Saturday, April 26, and Sunday, April 27, 2025"),
            ("Episodes 5 and 6", "Saturday, May 3, and Sunday, May 4, 2025"),
            ("Episodes 7 and 8", "Saturday, May 10, and Sunday, May 11, 2025"),
            ("Episodes 9 and 10", "Saturday, May 17, and Sunday, May 18, 2025"),
            ("Episodes 11 and 12", "Saturday, May 24, and Sunday, May 25, 2025"),
        ],
    ),
    dict(
        key="S10", path="/tv/news/paper-moons-season-2-episode-6-trailer-4415/", section="news",
        headline="Paper Moons Season 2 Episode 6 Trailer: Margo Makes a Deal",
        show="Paper Moons", season=2, episodes=[6], kind="preview",
        lookalike="trailer / preview of an upcoming episode",
        author="Theo Marsh", published="2025-04-29T12:30:00-07:00",
        visible_date="April 29, 2025 12:30 pm PT",
        dek="AMC’s first look at next Sunday’s episode has a bronze statue in it.",
        caption="Agent Lucille Pike.", credit="AMC",
        body="""
AMC has released a trailer for the sixth episode of Paper Moons’ second season, and it
suggests the show’s slow-burning forgery story is about to catch fire.

The episode, titled “Provenance,” airs Sunday, May 4, at 9 p.m. on AMC.

The 45-second preview opens with FBI agent Lucille Pike walking through the storeroom of the
Fairweather Gallery with a flashlight, which will make anyone who watched this week’s episode
very nervous. A quick cut shows Margo Brandt in an interrogation room, across the table from
Pike, saying, “I can give you one name. Not his.” The trailer never makes clear whose name
she means, but the next shot, of Desmond Fairweather packing a suitcase, is a pretty strong
hint.

Walter Brandt barely appears, except in a single shot of him standing in his studio in front
of two identical landscape paintings, which suggests his plan to switch the canvases is still
in motion.

The trailer also gives us our first look at Ruben Alcaraz, a New York art dealer played by
guest star Felix Moreau, who was mentioned several times in Season 1 but never seen.

The season has been building toward a confrontation between Pike and the Brandts since its
premiere, and the trailer strongly suggests that it arrives in the final act of this episode,
two weeks before the finale. Whether Margo walks out of that interrogation room with her
father’s secret intact is anybody’s guess.

Paper Moons Season 2 has eight episodes, with the finale set for May 18.
""",
    ),
    dict(
        key="S9", path="/tv/news/station-9-season-4-casting-4620/", section="news",
        headline="Station 9 Adds ‘Brass & Bone’ Breakout Tom Aldana for Season 4",
        show="Station 9", season=4, episodes=[], kind="other", lookalike="cast news",
        author="Priya Lindqvist", published="2025-06-19T13:15:00-07:00",
        visible_date="June 19, 2025 1:15 pm PT",
        dek="The actor will play a transferred firefighter with a reputation.",
        caption="Tom Aldana.", credit="FX",
        body="""
Station 9 has found its newest firefighter. Tom Aldana, who drew attention this year as the
menacing union enforcer on FX’s Brass & Bone, has joined the cast of NBC’s firehouse drama for
its upcoming fourth season, the network announced Thursday.

Aldana will play Wes Dunne, a veteran firefighter transferring to Station 9 from a busy house
on Cleveland’s east side. NBC describes him as “the best firefighter any of them have worked
with, and the last person anyone wants at the kitchen table.” He will be a series regular.

The casting is the first major addition to Station 9 since Season 2, when the show introduced
probie Danny Kwiatkowski. It also comes after a turbulent third season for the show’s fictional
firehouse, which ended with Lt. Ray Brannigan on leave and his relationship with Captain Lena
Okafor in tatters.

Executive producer Ada Benedek said in a statement that the writers wanted “someone who
could walk in and make everybody in that house nervous, including the audience.”

Aldana spent most of Brass & Bone’s second season in the background, but a single scene late
in the run, in which his character quietly refuses an order to break up a picket line, became
one of the most talked-about moments of the season. He has also appeared in guest roles on a
handful of network procedurals.

Station 9 Season 4 is expected to premiere in late September on NBC, with episodes streaming
the next day on Peacock. NBC has not yet announced a premiere date.
""",
    ),
]

TRD_HOST, CN_HOST, SW_HOST = "tvrecapdaily.example", "couchnotes.example", "screenweekly.example"


def tok(host: str) -> str:
    return "{{site:%s}}" % host


def esc(text: str) -> str:
    return html.escape(text, quote=True)


def slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


def inline(text: str) -> str:
    text = esc(text)
    text = re.sub(r"\*\*(.+?)\*\*", r"<strong>\1</strong>", text)
    text = re.sub(r"\[([^\]]+)\]\(([^)]+)\)", r'<a href="\2">\1</a>', text)
    return text


def render_body(body: str, schedule=None) -> str:
    out = []
    for block in re.split(r"\n\s*\n", body.strip()):
        lines = [ln.strip() for ln in block.strip().splitlines()]
        if lines[0].startswith("## "):
            out.append(f"<h2>{inline(' '.join(lines)[3:])}</h2>")
        elif lines[0].startswith("- "):
            items = "".join(f"<li>{inline(ln[2:])}</li>" for ln in lines)
            out.append(f"<ul>{items}</ul>")
        elif lines[0] == "[[SCHEDULE]]":
            rows = "".join(f"<tr><td>{esc(a)}</td><td>{esc(b)}</td></tr>" for a, b in schedule)
            out.append('<table class="schedule"><thead><tr><th>Episodes</th>'
                       f"<th>Release date</th></tr></thead><tbody>{rows}</tbody></table>")
        else:
            out.append(f"<p>{inline(' '.join(lines))}</p>")
    return "\n".join(out)


def words(body: str) -> int:
    return len(re.findall(r"[\w’']+", re.sub(r"\[\[\w+\]\]", "", body)))


def reading_time(body: str) -> str:
    n = max(1, round(words(body) / 200))
    return f"{n} minute{'s' if n > 1 else ''}"


def dt(value: str) -> datetime:
    return datetime.fromisoformat(value)


def long_date(value: str) -> str:
    d = dt(value)
    return f"{d:%B} {d.day}, {d.year}"


def write(rel: str, text: str | bytes, host: str) -> None:
    path = OUT / host / rel.lstrip("/")
    if rel.endswith("/"):
        path = path / "index.html"
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(text, str):
        text = text.encode("utf-8")
    path.write_bytes(text)


PLACEHOLDER_SVG = """<svg xmlns="http://www.w3.org/2000/svg" width="1200" height="675" \
viewBox="0 0 1200 675"><rect width="1200" height="675" fill="{bg}"/><text x="600" y="350" \
font-family="sans-serif" font-size="48" fill="{fg}" text-anchor="middle">{label}</text></svg>
"""

# ---------------------------------------------------------------------------
# TV Recap Daily (WordPress + Yoast look)
# ---------------------------------------------------------------------------
TRD_CSS = """body{font-family:Georgia,serif;margin:0;color:#222;background:#fafafa}
.site-header{background:#1d2d44;color:#fff;padding:1rem 2rem}.site-header a{color:#fff}
.site-title{font-size:1.6rem;font-weight:bold;margin:0}.main-navigation a{margin-right:1rem}
.site-content{display:flex;gap:2rem;max-width:1100px;margin:2rem auto}
.content-area{flex:3}.widget-area{flex:1;font-size:.9rem}
.entry-meta,.cat-links{color:#666;font-size:.9rem}figure img{max-width:100%}
.site-footer{text-align:center;color:#666;padding:2rem}
"""


def trd_person_id(author: str) -> str:
    return f"{tok(TRD_HOST)}/#/schema/person/{zlib.crc32(author.encode()):08x}"


def trd_chrome(title: str, head_extra: str, main: str, body_class: str, recent) -> str:
    recent_items = "".join(
        f'<li><a href="{tok(TRD_HOST)}{a["path"]}">{esc(a["headline"])}</a></li>'
        for a in recent)
    return f"""<!DOCTYPE html>
<html lang="en-US">
<head>
<meta charset="UTF-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{esc(title)}</title>
<meta name="robots" content="index, follow, max-image-preview:large">
{head_extra}
<link rel="stylesheet" id="recapdaily-style-css" href="/wp-content/themes/recapdaily/style.css?ver=2.3.1" media="all">
<link rel="icon" href="/wp-content/uploads/2025/01/cropped-icon.svg">
</head>
<body class="{body_class}">
<a class="skip-link screen-reader-text" href="#primary">Skip to content</a>
<header id="masthead" class="site-header">
<p class="site-title"><a href="{tok(TRD_HOST)}/" rel="home">TV Recap Daily</a></p>
<p class="site-description">Every episode, the morning after</p>
<nav id="site-navigation" class="main-navigation"><ul id="primary-menu" class="menu">
<li class="menu-item"><a href="{tok(TRD_HOST)}/">Home</a></li>
<li class="menu-item"><a href="{tok(TRD_HOST)}/category/recaps/">Recaps</a></li>
<li class="menu-item"><a href="{tok(TRD_HOST)}/category/news/">News &amp; Guides</a></li>
<li class="menu-item"><a href="{tok(TRD_HOST)}/about/">About</a></li>
</ul></nav>
</header>
<div id="content" class="site-content">
<main id="primary" class="content-area">
{main}
</main>
<aside id="secondary" class="widget-area">
<section id="recent-posts-2" class="widget widget_recent_entries">
<h2 class="widget-title">Recent Posts</h2><ul>{recent_items}</ul></section>
<section id="tag_cloud-2" class="widget widget_tag_cloud"><h2 class="widget-title">Tags</h2>
<div class="tagcloud"><a href="{tok(TRD_HOST)}/tag/station-9/" class="tag-cloud-link">Station 9</a></div>
</section>
</aside>
</div>
<footer id="colophon" class="site-footer"><div class="site-info">&copy; 2025 TV Recap Daily.
Proudly powered by coffee and a DVR.</div></footer>
</body>
</html>
"""


def trd_article_html(a: dict, recent) -> str:
    url = f"{tok(TRD_HOST)}{a['path']}"
    base = tok(TRD_HOST)
    cat_name = "Recaps" if a["category"] == "recaps" else "News & Guides"
    cat_url = f"{base}/category/{a['category']}/"
    image = f"{base}/wp-content/uploads/2025/01/recap-placeholder.svg"
    pub, mod = dt(a["published"]), dt(a["modified"])
    utc_pub = pub.astimezone(timezone.utc).isoformat()
    utc_mod = mod.astimezone(timezone.utc).isoformat()
    seo_title = a.get("seo_title", a["headline"])
    author_slug = slug(a["author"])
    graph = {
        "@context": "https://schema.org",
        "@graph": [
            {"@type": a["schema"], "@id": f"{url}#article", "isPartOf": {"@id": url},
             "author": {"name": a["author"], "@id": trd_person_id(a["author"])},
             "headline": seo_title, "datePublished": a["published"],
             "dateModified": a["modified"], "mainEntityOfPage": {"@id": url},
             "wordCount": words(a["body"]), "publisher": {"@id": f"{base}/#organization"},
             "image": {"@id": f"{url}#primaryimage"}, "thumbnailUrl": image,
             "keywords": [a["show"]] if a.get("show") else [],
             "articleSection": [cat_name], "inLanguage": "en-US"},
            {"@type": "WebPage", "@id": url, "url": url,
             "name": f"{seo_title} - TV Recap Daily", "isPartOf": {"@id": f"{base}/#website"},
             "primaryImageOfPage": {"@id": f"{url}#primaryimage"}, "image":
             {"@id": f"{url}#primaryimage"}, "thumbnailUrl": image,
             "datePublished": a["published"], "dateModified": a["modified"],
             "description": a["excerpt"], "breadcrumb": {"@id": f"{url}#breadcrumb"},
             "inLanguage": "en-US", "potentialAction": [{"@type": "ReadAction",
                                                          "target": [url]}]},
            {"@type": "ImageObject", "inLanguage": "en-US", "@id": f"{url}#primaryimage",
             "url": image, "contentUrl": image, "width": 1200, "height": 675,
             "caption": a["caption"]},
            {"@type": "BreadcrumbList", "@id": f"{url}#breadcrumb", "itemListElement": [
                {"@type": "ListItem", "position": 1, "name": "Home", "item": f"{base}/"},
                {"@type": "ListItem", "position": 2, "name": cat_name, "item": cat_url},
                {"@type": "ListItem", "position": 3, "name": a["headline"]}]},
            {"@type": "WebSite", "@id": f"{base}/#website", "url": f"{base}/",
             "name": "TV Recap Daily", "description": "Every episode, the morning after",
             "publisher": {"@id": f"{base}/#organization"}, "inLanguage": "en-US"},
            {"@type": "Organization", "@id": f"{base}/#organization", "name": "TV Recap Daily",
             "url": f"{base}/", "logo": {"@type": "ImageObject", "url":
                                         f"{base}/wp-content/uploads/2025/01/cropped-icon.svg"}},
            {"@type": "Person", "@id": trd_person_id(a["author"]), "name": a["author"],
             "url": f"{base}/author/{author_slug}/"},
        ],
    }
    ld = json.dumps(graph, ensure_ascii=False).replace("</", "<\\/")
    head = f"""<meta name="description" content="{esc(a['excerpt'])}">
<link rel="canonical" href="{url}">
<meta property="og:locale" content="en_US">
<meta property="og:type" content="article">
<meta property="og:title" content="{esc(seo_title)}">
<meta property="og:description" content="{esc(a['excerpt'])}">
<meta property="og:url" content="{url}">
<meta property="og:site_name" content="TV Recap Daily">
<meta property="article:published_time" content="{utc_pub}">
<meta property="article:modified_time" content="{utc_mod}">
<meta property="og:image" content="{image}">
<meta property="og:image:width" content="1200">
<meta property="og:image:height" content="675">
<meta name="author" content="{esc(a['author'])}">
<meta name="twitter:card" content="summary_large_image">
<meta name="twitter:label1" content="Written by">
<meta name="twitter:data1" content="{esc(a['author'])}">
<meta name="twitter:label2" content="Est. reading time">
<meta name="twitter:data2" content="{reading_time(a['body'])}">
<script type="application/ld+json" class="yoast-schema-graph">{ld}</script>"""
    tags = "".join(f'<a href="{base}/tag/{t}/" rel="tag">{esc(t.replace("-", " ").title())}</a>'
                   for t in a.get("tags", []))
    tags_html = f'<span class="tags-links">Tagged {tags}</span>' if tags else ""
    main = f"""<article id="post-{zlib.crc32(a['path'].encode()) % 90000 + 10000}" class="post type-post status-publish format-standard has-post-thumbnail category-{a['category']}">
<header class="entry-header">
<span class="cat-links"><a href="{cat_url}" rel="category tag">{esc(cat_name)}</a></span>
<h1 class="entry-title">{esc(a['headline'])}</h1>
<div class="entry-meta">
<span class="byline">by <span class="author vcard"><a class="url fn n" href="{base}/author/{author_slug}/">{esc(a['author'])}</a></span></span>
<span class="posted-on">Posted on <a href="{url}" rel="bookmark"><time class="entry-date published" datetime="{a['published']}">{long_date(a['published'])}</time><time class="updated" datetime="{a['modified']}">{long_date(a['modified'])}</time></a></span>
</div>
</header>
<figure class="post-thumbnail"><img width="1200" height="675" src="{image}" class="attachment-post-thumbnail wp-post-image" alt="{esc(a['caption'])}" decoding="async">
<figcaption>{esc(a['caption'])} Image: {esc(a['credit'])}</figcaption></figure>
<div class="entry-content">
{render_body(a['body'])}
</div>
<footer class="entry-footer">{tags_html}</footer>
</article>"""
    return trd_chrome(f"{seo_title} - TV Recap Daily", head, main,
                      "post-template-default single single-post single-format-standard",
                      recent)


def trd_listing_html(title: str, heading: str, items, canonical: str, recent,
                     prev_url=None, next_url=None) -> str:
    posts = []
    for a in items:
        posts.append(f"""<article class="post type-post category-{a['category']}">
<header class="entry-header"><h2 class="entry-title"><a href="{tok(TRD_HOST)}{a['path']}" rel="bookmark">{esc(a['headline'])}</a></h2>
<div class="entry-meta">by {esc(a['author'])} · <time class="entry-date published" datetime="{a['published']}">{long_date(a['published'])}</time></div></header>
<div class="entry-summary"><p>{esc(a['excerpt'])}</p></div></article>""")
    nav = []
    if prev_url:
        nav.append(f'<a class="prev page-numbers" href="{prev_url}">&laquo; Newer posts</a>')
    if next_url:
        nav.append(f'<a class="next page-numbers" href="{next_url}">Older posts &raquo;</a>')
    head = f'<link rel="canonical" href="{canonical}">'
    if prev_url:
        head += f'\n<link rel="prev" href="{prev_url}">'
    if next_url:
        head += f'\n<link rel="next" href="{next_url}">'
    head += '\n<meta property="og:type" content="website">'
    main = (f'<header class="page-header"><h1 class="page-title">{esc(heading)}</h1></header>\n'
            + "\n".join(posts)
            + (f'\n<nav class="navigation pagination"><div class="nav-links">{"".join(nav)}'
               '</div></nav>' if nav else ""))
    return trd_chrome(title, head, main, "archive", recent)


def build_trd() -> list[dict]:
    host = TRD_HOST
    base = tok(host)
    posts = sorted(TRD, key=lambda a: a["published"], reverse=True)
    recent = posts[:5]
    for a in TRD + [TRD_BLOCKED]:
        write(a["path"], trd_article_html(a, recent), host)
    listed = sorted(TRD + [TRD_BLOCKED], key=lambda a: a["published"], reverse=True)
    # home page: every post, newest first (including the robots-blocked one)
    write("/", trd_listing_html("TV Recap Daily - Every episode, the morning after",
                                "Latest recaps, reviews and guides", listed, f"{base}/",
                                recent), host)
    recaps = [a for a in listed if a["category"] == "recaps" and a is not TRD_BLOCKED]
    per_page = 5
    pages = [recaps[i:i + per_page] for i in range(0, len(recaps), per_page)]
    for n, items in enumerate(pages, 1):
        path = "/category/recaps/" if n == 1 else f"/category/recaps/page/{n}/"
        prev_url = None if n == 1 else (f"{base}/category/recaps/" if n == 2
                                        else f"{base}/category/recaps/page/{n - 1}/")
        next_url = f"{base}/category/recaps/page/{n + 1}/" if n < len(pages) else None
        title = "Recaps Archives - TV Recap Daily" + (f" - Page {n} of {len(pages)}"
                                                       if n > 1 else "")
        write(path, trd_listing_html(title, "Category: Recaps", items, f"{base}{path}", recent,
                                     prev_url, next_url), host)
    news = [a for a in listed if a["category"] == "news"]
    write("/category/news/", trd_listing_html("News & Guides Archives - TV Recap Daily",
                                              "Category: News & Guides", news,
                                              f"{base}/category/news/", recent), host)
    tagged = [a for a in listed if "station-9" in a.get("tags", [])]
    write("/tag/station-9/", trd_listing_html("Station 9 Archives - TV Recap Daily",
                                              "Tag: Station 9", tagged,
                                              f"{base}/tag/station-9/", recent), host)
    for author in sorted({a["author"] for a in listed}):
        items = [a for a in listed if a["author"] == author]
        path = f"/author/{slug(author)}/"
        write(path, trd_listing_html(f"{author}, Author at TV Recap Daily",
                                     f"Author: {author}", items, f"{base}{path}", recent), host)
    about = """<article class="page"><header class="entry-header"><h1 class="entry-title">About</h1>
</header><div class="entry-content"><p>TV Recap Daily publishes episode recaps the morning after
they air, plus reviews, release-date guides and the occasional ranked list. We are a small
team of three writers who watch far too much television.</p>
<p>Corrections and tips: write to the editors through the contact form in the footer of our
newsletter.</p></div></article>"""
    write("/about/", trd_chrome("About - TV Recap Daily",
                                f'<link rel="canonical" href="{base}/about/">', about, "page",
                                recent), host)
    write("/robots.txt", f"""User-agent: *
Disallow: /wp-admin/
Allow: /wp-admin/admin-ajax.php
# embargoed until our syndication partner publishes
Disallow: /2025/03/station-9-season-3-episode-8-recap/

Sitemap: {base}/sitemap_index.xml
""", host)
    newest = max(a["modified"] for a in TRD)
    write("/sitemap_index.xml", f"""<?xml version="1.0" encoding="UTF-8"?>
<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">
<sitemap><loc>{base}/post-sitemap.xml</loc><lastmod>{newest}</lastmod></sitemap>
<sitemap><loc>{base}/page-sitemap.xml</loc><lastmod>2025-01-02T09:00:00-05:00</lastmod></sitemap>
</sitemapindex>
""", host)
    urls = "\n".join(f"<url><loc>{base}{a['path']}</loc><lastmod>{a['modified']}</lastmod>"
                     "</url>" for a in sorted(TRD, key=lambda a: a["published"]))
    write("/post-sitemap.xml", f"""<?xml version="1.0" encoding="UTF-8"?>
<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">
{urls}
</urlset>
""", host)
    write("/page-sitemap.xml", f"""<?xml version="1.0" encoding="UTF-8"?>
<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">
<url><loc>{base}/</loc><lastmod>{newest}</lastmod></url>
<url><loc>{base}/about/</loc><lastmod>2025-01-02T09:00:00-05:00</lastmod></url>
</urlset>
""", host)
    write("/wp-content/themes/recapdaily/style.css", TRD_CSS, host)
    write("/wp-content/uploads/2025/01/recap-placeholder.svg",
          PLACEHOLDER_SVG.format(bg="#1d2d44", fg="#fff", label="TV Recap Daily"), host)
    write("/wp-content/uploads/2025/01/cropped-icon.svg",
          PLACEHOLDER_SVG.format(bg="#e4572e", fg="#fff", label="TRD"), host)
    return TRD


# ---------------------------------------------------------------------------
# Couch Notes (personal blog + RSS)
# ---------------------------------------------------------------------------
CN_CSS = """body{font-family:-apple-system,Helvetica,Arial,sans-serif;max-width:42rem;margin:2rem auto;
padding:0 1rem;line-height:1.6;color:#333}a{color:#b5543a}.brand{font-size:1.4rem;font-weight:700}
.byline{color:#777;font-style:italic}.comments{border-top:1px solid #ddd;margin-top:2rem}
"""


def cn_page(title: str, main: str, head_extra: str = "", charset: str = "utf-8") -> str:
    return f"""<!doctype html>
<html lang="en">
<head>
<meta charset="{charset}">
<meta name="viewport" content="width=device-width">
<title>{esc(title)}</title>
<link rel="alternate" type="application/rss+xml" title="Couch Notes" href="{tok(CN_HOST)}/feed.xml">
<link rel="stylesheet" href="/css/couch.css">
{head_extra}
</head>
<body>
<header>
<div class="brand"><a href="/">Couch Notes</a></div>
<div class="tagline">one person, too many streaming subscriptions</div>
<nav><a href="/">Home</a> · <a href="/about/">About</a> · <a href="/feed.xml">RSS</a></nav>
</header>
{main}
<footer><p>Couch Notes is written by Dana Whitfield, with occasional guest posts. No ads, no
trackers, just opinions.</p></footer>
</body>
</html>
"""


CN_COMMENTS = {
    "C1": [("seaglass_mo", "My sister ALSO says accusation. Can’t wait for episode 5!"),
           ("Pete R.", "Simone needs a scene. Agreed.")],
    "C3": [("embers4ever", "The black coal!!! Episodes 9 and 10 cannot come fast enough.")],
    "C6": [("orbitnerd", "Seven names, six people. I’m calling it now: the missing crew "
                         "member is HOLLIS.")],
    "C10": [("Gina L.", "Dana, you watched with ADS? Brave.")],
}


def cn_article_html(a: dict) -> str:
    body = render_body(a["body"])
    comments = CN_COMMENTS.get(a["key"], [])
    comments_html = ""
    if comments:
        items = "".join(f'<li><b>{esc(n)}</b> said: {esc(t)}</li>' for n, t in comments)
        comments_html = (f'<section class="comments"><h3>{len(comments)} comment'
                         f'{"s" if len(comments) > 1 else ""}</h3><ul>{items}</ul></section>')
    main = f"""<article class="post">
<h1 class="post-title">{esc(a['headline'])}</h1>
<p class="byline">{esc(a['byline'])}</p>
{body}
<p class="filed">Filed under: {esc(a['show'] or 'podcast')}, {'recaps' if a.get('lookalike') is None else 'extras'}</p>
</article>
{comments_html}
<p><a href="/">&larr; all posts</a></p>"""
    charset = a.get("encoding", "utf-8")
    desc = f'<meta name="description" content="{esc(a["excerpt"])}">'
    return cn_page(f"{a['headline']} | Couch Notes", main, desc, charset)


def build_cn() -> list[dict]:
    host = CN_HOST
    base = tok(host)
    posts = sorted(CN, key=lambda a: a["published"], reverse=True)
    for a in CN:
        text = cn_article_html(a)
        write(a["path"], text.encode(a.get("encoding", "utf-8")), host)
    items = "\n".join(
        f'<li><a href="{a["path"]}">{esc(a["headline"])}</a> '
        f'<span class="date">{long_date(a["published"])}</span></li>' for a in posts)
    write("/", cn_page("Couch Notes", f"""<main>
<p>Hi, I’m Dana. I write about whatever I watched last night. Subscribe with the
<a href="/feed.xml">RSS feed</a>.</p>
<h1>All posts</h1>
<ul class="posts">
{items}
</ul>
</main>"""), host)
    write("/about/", cn_page("About | Couch Notes", """<main><h1>About</h1>
<p>Couch Notes started in 2019 as a place to put my episode notes so I would stop texting them
to my sister at midnight. These days it is recaps, reviews, a podcast called Couch Talk and the
occasional guest post by my friend Marcus, who is in charge of everything with subtitles.</p>
</main>"""), host)
    feed_items = []
    for a in posts:
        link = f"{base}{a['path']}"
        if a.get("feed_utm"):
            link += "?utm_source=rss&amp;utm_medium=feed"
        feed_items.append(f"""<item>
<title>{esc(a['headline'])}</title>
<link>{link}</link>
<guid isPermaLink="false">couchnotes-{a['key'].lower()}</guid>
<pubDate>{format_datetime(dt(a['published']))}</pubDate>
<dc:creator>{esc(a['author'])}</dc:creator>
<description>{esc(a['excerpt'])}</description>
</item>""")
    write("/feed.xml", f"""<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:dc="http://purl.org/dc/elements/1.1/">
<channel>
<title>Couch Notes</title>
<link>{base}/</link>
<description>One person, too many streaming subscriptions.</description>
<language>en-us</language>
<lastBuildDate>{format_datetime(dt(posts[0]['published']))}</lastBuildDate>
{chr(10).join(feed_items)}
</channel>
</rss>
""", host)
    write("/robots.txt", "User-agent: *\nAllow: /\n", host)
    write("/css/couch.css", CN_CSS, host)
    return CN


# ---------------------------------------------------------------------------
# ScreenWeekly (magazine, microdata + og only)
# ---------------------------------------------------------------------------
SW_CSS = """body{font-family:Helvetica,Arial,sans-serif;margin:0}.masthead{border-bottom:4px solid #c00;
padding:1rem 2rem}.main-nav ul{list-style:none;display:flex;gap:1.5rem;padding:0}
.now-recapping{font-size:.8rem;color:#555}.layout{display:grid;grid-template-columns:3fr 1fr;
gap:2rem;max-width:1200px;margin:auto}.credit{color:#888;font-size:.75rem}
.related,.sidebar{font-size:.9rem}.dek{font-size:1.2rem;color:#444}
"""


def sw_derive(a: dict, by_key: dict) -> dict:
    """Fill in the syndicated and near-copy articles from their TV Recap Daily originals."""
    if "syndicated_from" in a:
        src = by_key[a["syndicated_from"]]
        a.update(headline=src["headline"], show=src["show"], season=src["season"],
                 episodes=src["episodes"], kind=src["kind"],
                 canonical=f"{tok(TRD_HOST)}{src['path']}",
                 body=src["body"].rstrip() + f"\n\nThis article originally appeared on "
                 f"[TV Recap Daily]({tok(TRD_HOST)}{src['path']}) and is republished with "
                 "permission.\n", duplicate_of=src["path"])
    if "near_copy_of" in a:
        src = by_key[a["near_copy_of"]]
        body = src["body"]
        body = body.replace("is somehow the most tense scene in the episode",
                            "is, somehow, the tensest scene of the episode")
        body = body.replace("The final scene is a small masterpiece of dread.",
                            "The closing scene is a small masterpiece of dread.")
        body = body.replace("\nEpisode 3 arrives next Wednesday on Prime Video.\n",
                            "\nStream The Quiet Orbit on Prime Video.\n")
        a.update(show=src["show"], season=src["season"], episodes=src["episodes"],
                 kind=src["kind"], body=body, duplicate_of=src["path"])
    return a


def sw_chrome(title: str, head_extra: str, main: str, sidebar: bool = True) -> str:
    base = tok(SW_HOST)
    side = f"""<aside class="sidebar">
<section class="most-read"><h3>Most Read</h3><ol>
<li><a href="{base}/tv/recaps/station-9-s3e8-recap-4255/">Station 9 Season 3 Episode 8 recap: Lena runs the house</a> <time datetime="2025-03-13">Mar 13</time></li>
<li><a href="{base}/tv/news/crown-of-embers-where-to-watch-4402/">Crown of Embers episodes 9 &amp; 10: when and where to watch</a></li>
<li><a href="{base}/tv/recaps/the-lanternkeepers-season-2-finale-recap-4299/">The Lanternkeepers 2x08: the vote, explained</a> <time datetime="2025-03-21">Mar 21</time></li>
<li><a href="{base}/tv/recaps/brass-and-bone-s2e1-e2-review-4101/">Brass &amp; Bone returns: our review of episodes 1 and 2</a></li>
</ol></section>
<section class="up-next"><h3>Up Next on TV</h3>
<p>The Quiet Orbit episode 4 arrives Wednesday, June 18, on Prime Video. Paper Moons Season 2
finale: Sunday, May 18, on AMC. Station 9 returns this fall on NBC and Peacock. All
episodes of Midnight Bakery Club are on Netflix.</p></section>
<section class="newsletter"><h3>The Weekly Watch</h3><p>Our Friday newsletter: every recap, every
trailer, no spoilers in the subject line.</p></section>
</aside>""" if sidebar else ""
    return f"""<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{esc(title)}</title>
{head_extra}
<link rel="stylesheet" href="/static/sw.css">
</head>
<body>
<header class="masthead">
<a href="{base}/" class="logo"><img src="/static/sw-logo.svg" alt="ScreenWeekly" width="220" height="40"></a>
<nav class="main-nav" aria-label="Main"><ul>
<li><a href="{base}/">Home</a></li>
<li><a href="{base}/tv/recaps/">TV Recaps</a></li>
<li><a href="{base}/tv/news/">TV News</a></li>
<li><a href="{base}/about/">About</a></li>
</ul>
<div class="now-recapping">Now recapping:
<a href="{base}/tv/recaps/station-9-s3e8-recap-4255/">Station 9 S3E8</a> ·
<a href="{base}/tv/recaps/the-lanternkeepers-season-2-finale-recap-4299/">The Lanternkeepers S2 finale</a> ·
<a href="{base}/tv/news/crown-of-embers-where-to-watch-4402/">Crown of Embers Ep. 9</a> ·
<a href="{base}/tv/recaps/hollow-creek-finale-review-4810/">Hollow Creek Episode 8</a>
</div>
</nav>
</header>
<div class="layout">
<main>
{main}
</main>
{side}
</div>
<footer class="site-footer"><p>&copy; 2025 ScreenWeekly Media. All images are publicity stills
supplied by the networks and platforms credited.</p>
<p><a href="{base}/about/">About ScreenWeekly</a></p></footer>
</body>
</html>
"""


def sw_article_html(a: dict, related: list[dict]) -> str:
    base = tok(SW_HOST)
    url = f"{base}{a['path']}"
    section_name = "TV Recaps" if a["section"] == "recaps" else "TV News"
    head = [f'<meta name="description" content="{esc(a["dek"])}">',
            f'<meta property="og:title" content="{esc(a["headline"])}">',
            '<meta property="og:type" content="article">',
            f'<meta property="og:url" content="{url}">',
            '<meta property="og:site_name" content="ScreenWeekly">',
            f'<meta property="og:description" content="{esc(a["dek"])}">',
            f'<meta property="og:image" content="{base}/static/placeholder.svg">']
    if a.get("canonical"):
        head.insert(0, f'<link rel="canonical" href="{a["canonical"]}">')
    if a.get("author"):
        byline = (f'By <span itemprop="author" itemscope itemtype="https://schema.org/Person">'
                  f'<span itemprop="name">{esc(a["author"])}</span></span>'
                  f'{esc(a.get("author_suffix", ""))}')
    else:
        byline = (f'By <span itemprop="author" itemscope itemtype="https://schema.org/'
                  f'Organization"><span itemprop="name">{esc(a["byline_text"])}</span></span>')
    rel = "".join(
        f'<li><a href="{base}{r["path"]}">{esc(r["headline"])}</a> '
        f'<time datetime="{r["published"]}">{long_date(r["published"])}</time></li>'
        for r in related)
    main = f"""<article itemscope itemtype="https://schema.org/NewsArticle">
<p class="kicker"><a href="{base}/tv/{a['section']}/">{section_name}</a></p>
<h1 itemprop="headline">{esc(a['headline'])}</h1>
<p class="dek" itemprop="description">{esc(a['dek'])}</p>
<div class="meta">{byline} · <time itemprop="datePublished" datetime="{a['published']}">{esc(a['visible_date'])}</time></div>
<figure><img src="/static/placeholder.svg" alt="{esc(a['caption'])}" itemprop="image" width="1200" height="675">
<figcaption>{esc(a['caption'])} <span class="credit">Photo: {esc(a['credit'])}</span></figcaption></figure>
<div class="article-body" itemprop="articleBody">
{render_body(a['body'], a.get('schedule'))}
</div>
<section class="related"><h2>Related</h2><ul>{rel}</ul></section>
</article>"""
    return sw_chrome(f"{a['headline']} | {section_name} | ScreenWeekly", "\n".join(head), main)


def sw_listing(title: str, heading: str, items: list[dict], canonical: str,
               prev_url=None, next_url=None, page_label="") -> str:
    cards = "\n".join(f"""<div class="card">
<h2><a href="{tok(SW_HOST)}{a['path']}">{esc(a['headline'])}</a></h2>
<p class="dek">{esc(a['dek'])}</p>
<p class="meta">{esc(a.get('author') or a.get('byline_text'))} · <time datetime="{a['published']}">{long_date(a['published'])}</time></p>
</div>""" for a in items)
    pager = []
    if prev_url:
        pager.append(f'<a rel="prev" href="{prev_url}">‹ Newer</a>')
    if page_label:
        pager.append(f"<span>{page_label}</span>")
    if next_url:
        pager.append(f'<a rel="next" href="{next_url}">Older ›</a>')
    head = f'<link rel="canonical" href="{canonical}">'
    main = (f"<h1>{esc(heading)}</h1>\n{cards}\n"
            + (f'<nav class="pager">{" ".join(pager)}</nav>' if pager else ""))
    return sw_chrome(title, head, main)


def build_sw(trd_by_key: dict) -> list[dict]:
    host = SW_HOST
    base = tok(host)
    arts = [sw_derive(copy.deepcopy(a), trd_by_key) for a in SW]
    posts = sorted(arts, key=lambda a: a["published"], reverse=True)
    for i, a in enumerate(posts):
        others = sorted((p for p in posts if p is not a),
                        key=lambda p: abs((dt(p["published"]) - dt(a["published"])).days))
        related = others[:3]
        write(a["path"], sw_article_html(a, related), host)
    recaps = [a for a in posts if a["section"] == "recaps"]
    per_page = 4
    pages = [recaps[i:i + per_page] for i in range(0, len(recaps), per_page)]

    def page_url(n):
        return f"{base}/tv/recaps/" if n == 1 else f"{base}/tv/recaps/page/{n}/"

    for n, items in enumerate(pages, 1):
        path = "/tv/recaps/" if n == 1 else f"/tv/recaps/page/{n}/"
        write(path, sw_listing(f"TV Recaps{' - Page ' + str(n) if n > 1 else ''} | ScreenWeekly",
                               "TV Recaps & Reviews", items, page_url(n),
                               page_url(n - 1) if n > 1 else None,
                               page_url(n + 1) if n < len(pages) else None,
                               f"Page {n} of {len(pages)}"), host)
    news = [a for a in posts if a["section"] == "news"]
    write("/tv/news/", sw_listing("TV News | ScreenWeekly", "TV News", news, f"{base}/tv/news/"),
          host)
    write("/", sw_listing("ScreenWeekly: TV recaps, reviews and news", "Latest", posts[:8],
                          f"{base}/"), host)
    write("/about/", sw_chrome("About | ScreenWeekly", f'<link rel="canonical" href="{base}/about/">',
                               """<h1>About ScreenWeekly</h1><p>ScreenWeekly covers television
every day: episode recaps and reviews, ending explainers, trailers and casting news. Some of our
recaps are republished from partner sites, with credit.</p>""", sidebar=False), host)
    write("/robots.txt", "User-agent: *\nDisallow: /search\n", host)
    write("/static/sw.css", SW_CSS, host)
    write("/static/sw-logo.svg", PLACEHOLDER_SVG.format(bg="#fff", fg="#c00",
                                                        label="ScreenWeekly"), host)
    write("/static/placeholder.svg", PLACEHOLDER_SVG.format(bg="#333", fg="#eee",
                                                            label="ScreenWeekly"), host)
    return arts


def main(argv: list[str] | None = None) -> None:
    global OUT
    args = list(sys.argv[1:] if argv is None else argv)
    manifest_path = None
    if "--manifest" in args:
        i = args.index("--manifest")
        manifest_path = Path(args[i + 1])
        del args[i:i + 2]
    OUT = Path(args[0]) if args else Path(__file__).with_name("www")
    for host in (TRD_HOST, CN_HOST, SW_HOST):
        shutil.rmtree(OUT / host, ignore_errors=True)
    trd = build_trd()
    cn = build_cn()
    sw = build_sw({a["key"]: a for a in TRD})
    manifest = []
    for host, arts in ((TRD_HOST, trd), (CN_HOST, cn), (SW_HOST, sw)):
        for a in arts:
            manifest.append({
                "site": host, "path": a["path"], "headline": a["headline"], "show": a["show"],
                "season": a["season"], "episodes": a["episodes"], "kind": a["kind"],
                "lookalike": a.get("lookalike"), "finale": a.get("finale", False),
                "premiere": a.get("premiere", False), "author": a.get("author"),
                "published": a["published"][:10], "duplicate_of": a.get("duplicate_of"),
                "words": words(a["body"])})
    if manifest_path:
        manifest_path.write_text(json.dumps(manifest, indent=1, ensure_ascii=False))
    print(f"{len(manifest)} articles written under {OUT}")


if __name__ == "__main__":
    main()
