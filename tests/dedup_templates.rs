//! Templates never decide duplicates, either way (issue 17). The shapes of the real cases: two
//! different stories of one news site, and two posts of one blog, each pair under one long shared
//! template (a page with little text of its own was "contained" in its neighbour through the
//! template); and one article published under two sites' templates (syndication), found as one.

mod common;

use common::Work;

/// A news site's template: a long menu, a "most read" list, a footer with its notices.
fn news_template() -> (String, String) {
    let menu = [
        "Subscribe",
        "Sign In",
        "Home",
        "World",
        "U.S.",
        "Politics",
        "Economy",
        "Business",
        "Tech",
        "Markets",
        "Opinion",
        "Life & Arts",
        "Real Estate",
        "Search",
        "Today's Paper",
        "Video",
        "Podcasts",
        "Newsletters",
        "Most Popular News",
        "Most Popular Opinion",
    ]
    .join("\n\n");
    let footer = [
        "Most Read",
        "Shares Slide as Investors Weigh Rate Outlook",
        "The Best Places to Retire This Year",
        "Why Office Rents Are Falling in Big Cities",
        "Customer Center",
        "Contact Us",
        "Help",
        "Advertise",
        "Corrections",
        "Privacy Notice",
        "Cookie Notice",
        "Copyright Policy",
        "Data Policy",
        "Subscriber Agreement & Terms of Use",
        "Your Ad Choices",
        "Copyright ©2024 Daily Ledger Inc. All Rights Reserved",
        "This copy is for your personal, non-commercial use only. Distribution and use of this material are governed by our Subscriber Agreement and by copyright law. For non-personal use or to order multiple copies, please contact Daily Ledger Reprints.",
    ]
    .join("\n\n");
    (menu, footer)
}

const STORY_A: &str = "Harbor Town Approves New Sea Wall\n\nBy Ana Ruiz\n\nThe town council voted on Tuesday to build a sea wall along the northern harbor, ending a debate that has run for more than a decade and split the fishing community.\n\nThe wall will cost about forty million dollars, most of it paid by the state, and is due to be finished before the storm season of 2027. Engineers say it will protect some two hundred homes and the old fish market.\n\nOpponents argued that the money would be better spent moving the most exposed houses inland, and several said they would appeal the decision to the regional planning board.";

const STORY_B: &str = "Rail Strike Called Off After Late Talks\n\nBy Tom Okafor\n\nUnion leaders called off a planned rail strike late on Sunday after the operator raised its pay offer for the second time this month.";

fn page(menu: &str, story: &str, footer: &str) -> String {
    format!("{menu}\n\n{story}\n\n{footer}\n")
}

fn clusters(work: &Work, report: &str) -> Vec<Vec<String>> {
    work.jsonl(&format!("{report}/clusters.jsonl"))
        .iter()
        .map(|c| {
            std::iter::once(c["kept"].as_str().unwrap().to_string())
                .chain(
                    c["members"]
                        .as_array()
                        .unwrap()
                        .iter()
                        .map(|m| m["doc"].as_str().unwrap().to_string()),
                )
                .collect()
        })
        .collect()
}

/// The clusters of `thresh clean`, `thresh dedup`, and `thresh clean --steps dedup`: with no
/// boilerplate removed at all, the worst that boilerplate can leave.
fn run_both(work: &Work) -> Vec<(String, Vec<Vec<String>>)> {
    [
        ("clean", &[][..]),
        ("dedup", &[][..]),
        ("clean", &["--steps", "dedup"][..]),
    ]
    .into_iter()
    .enumerate()
    .map(|(n, (command, more))| {
        let (out, rep) = (format!("out{n}"), format!("rep{n}"));
        work.thresh()
            .args([command, "in", "--out", &out, "--report", &rep, "-q"])
            .args(more)
            .assert()
            .success();
        (
            format!("{command} {}", more.join(" ")),
            clusters(work, &rep),
        )
    })
    .collect()
}

#[test]
fn two_stories_of_one_site_under_its_long_template_stay_apart() {
    let work = Work::new();
    let (menu, footer) = news_template();
    work.write("in/dailyledger.com/a.txt", page(&menu, STORY_A, &footer));
    work.write("in/dailyledger.com/b.txt", page(&menu, STORY_B, &footer));
    for (command, clusters) in run_both(&work) {
        assert!(clusters.is_empty(), "thresh {command} merged {clusters:?}");
    }
}

#[test]
fn two_posts_of_one_blog_stay_apart() {
    let work = Work::new();
    let sidebar = "About Me\n\nArchive\n\nMarch 2024\n\nFebruary 2024\n\nJanuary 2024\n\nLabels\n\ngardening\n\nrecipes\n\ntravel\n\nFollowers\n\nBlog Roll\n\nThe Kitchen Garden\n\nSlow Travel Notes\n\nPowered by Blogger";
    let post_a = "Planting Garlic in Autumn\n\nI put in three rows of garlic this weekend, a month later than usual because of the rain, and mulched them with the straw left over from the strawberries.";
    let post_b = "A Week in Lisbon\n\nWe spent a week in Lisbon in February, walking up and down its hills and eating far too many custard tarts, and came home with a list of places to go back to.";
    work.write(
        "in/myplot.blogspot.com/garlic.txt",
        format!("My Plot\n\n{post_a}\n\n{sidebar}\n"),
    );
    work.write(
        "in/myplot.blogspot.com/lisbon.txt",
        format!("My Plot\n\n{post_b}\n\n{sidebar}\n"),
    );
    for (command, clusters) in run_both(&work) {
        assert!(clusters.is_empty(), "thresh {command} merged {clusters:?}");
    }
}

#[test]
fn one_article_under_two_sites_templates_is_one_cluster() {
    let work = Work::new();
    let (menu, footer) = news_template();
    let other_menu =
        "Home\n\nLocal\n\nSport\n\nWeather\n\nObituaries\n\nJobs\n\nMotors\n\nProperty";
    let other_footer =
        "Follow us on Facebook\n\nTerms and Conditions\n\n© 2024 Coastal Herald Media Group";
    // The syndicated copy has a word or two edited by its second publisher.
    let copy = STORY_A
        .replace("on Tuesday", "on Tuesday evening")
        .replace("some two hundred", "about 200");
    work.write("in/dailyledger.com/a.txt", page(&menu, STORY_A, &footer));
    work.write("in/dailyledger.com/b.txt", page(&menu, STORY_B, &footer));
    work.write(
        "in/coastalherald.co.uk/sea-wall.txt",
        page(other_menu, &copy, other_footer),
    );
    for (command, clusters) in run_both(&work) {
        assert_eq!(clusters.len(), 1, "thresh {command}: {clusters:?}");
        let mut members = clusters[0].clone();
        members.sort();
        assert_eq!(
            members,
            ["coastalherald.co.uk/sea-wall.txt", "dailyledger.com/a.txt"],
            "thresh {command}"
        );
    }
}
